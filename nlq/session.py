"""One workspace's question-answering resources, loaded lazily and shared by every question:
the catalog, the warehouse schema, the value index, the vocabulary, the guard context.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from pathlib import Path
from typing import Any

from shopql.config import Settings
from shopql.nlq.linking import Term, Vocabulary
from shopql.nlq.values import (
    ValueIndex,
    catalog_sources,
    data_version,
    fuzzy_matcher,
    keyword_matcher,
    load_index,
)


class Workspace:
    """What the engines need to know about one workspace (each part loaded on first use)."""

    def __init__(self, settings: Settings, today: dt.date | None = None, model: Any = None) -> None:
        self.settings = settings
        self._today = today
        self.model = model  # a ChatModel for tests; None builds OpenAIChat when needed
        self.dry_run = False  # guard the SQL but do not run it (`ask --sql-only`)
        self._con: Any = None  # one read-only connection for the probe and every query
        self._audits: list[tuple[str, str | None, str, Any, str]] = []
        self.unguarded: dict[str, str] = {}  # guarded SQL -> the SQL before the guard (exports)
        self.runner: Any = None  # a warehouse.spark.SparkRunner: queries run on Spark instead
        # keep the reader open from one answer to the next (`close` then only writes the audit
        # rows; leaving the `with` block closes it): for a process asking many questions that
        # nothing else writes meanwhile (a test module's session; `shopql eval` likewise keeps
        # one connection) — opening one costs ~30 ms of DuckDB's own start
        self.keep_reader = False

    @property
    def today(self) -> dt.date:
        if self._today is None:
            from shopql.catalog.compiler import today_in

            self._today = today_in(self.settings.timezone)
        return self._today

    @functools.cached_property
    def catalog(self) -> Any:
        from shopql.catalog.store import load_catalog

        # the files' key first: what is worked out from this catalog (the vocabulary, the
        # glossary) is kept under a key taken no later than the files were read, so a file
        # edited while this process runs is read afresh by the next one, never found stale
        # under its own new key
        self._files_key  # noqa: B018
        return load_catalog(
            self.settings.workspace, timezone=self.settings.timezone, disk_cache=True
        )

    def reader(self) -> Any:
        """The open read-only connection (external access off, configuration locked)."""
        if self._con is None:
            from shopql.warehouse.connection import open_reader
            from shopql.warehouse.query import READER_MEMORY_LIMIT

            self._con = open_reader(self.settings.warehouse_path, memory_limit=READER_MEMORY_LIMIT)
        return self._con

    @functools.cached_property
    def _probe(self) -> tuple[dict[str, dict[str, str]], ValueIndex, str]:
        """Schema, value index and data version, read through the reader connection."""
        from shopql.warehouse.guard import schema_from_connection

        con = self.reader()
        schema = schema_from_connection(con)
        try:  # values of every non-PII categorical column the catalog describes
            extra = tuple(catalog_sources(self.catalog))
        except Exception:  # a broken catalog: the built-in value sources still answer
            extra = ()
        version = data_version(con)
        index = load_index(con, self.settings.workspace / ".shopql" / "values.json", extra, version)
        return schema, index, version

    @property
    def schema(self) -> dict[str, dict[str, str]]:
        return self._probe[0]

    @property
    def values(self) -> ValueIndex:
        return self._probe[1]

    @functools.cached_property
    def vocabulary(self) -> Vocabulary:
        cache = self.settings.workspace / ".shopql" / "cache" / "vocabulary.pickle"
        key = self._vocabulary_key()
        vocab = read_vocabulary(cache, key)
        if vocab is None:
            vocab = self._build_vocabulary()
            self.__dict__["vocabulary"] = vocab  # what is worked out from it, kept with it:
            from shopql.nlq.typos import words

            # the words a typo may be read as (the vocabulary's, the glossary's and the
            # festivals': all made of what the key names), ~60 ms to work out in each process
            vocab.typo_words = words(self)
            write_vocabulary(cache, key, vocab)
        return vocab

    def _build_vocabulary(self) -> Vocabulary:
        from shopql.nlq.lexicon import add_lexicon

        vocab = Vocabulary()
        self.values.add_to(vocab, self.glossary)
        add_catalog(vocab, self.catalog)
        add_lexicon(vocab, set(self.catalog.metrics), set(self.catalog.dimensions))
        from shopql.nlq.thresholds import add_group_words, add_standard_value_words

        add_group_words(vocab, self.catalog, self.values.values)  # Sudeste, 欧盟, by region
        add_standard_value_words(vocab, self.catalog, self.values.values)  # 顺丰 = sf
        return vocab

    def _vocabulary_key(self) -> str:
        """Changes with the synced data, the catalog files and the engine's own code."""
        return f"{self._probe[2]}|{self._files_key}" if self._files_key else ""

    @functools.cached_property
    def _files_key(self) -> str:
        """Changes with the catalog files (their text: an edit that keeps a file's size and time
        still counts) and the engine's own code (times of each file)."""
        import shopql.catalog as catalog
        import shopql.nlq as nlq

        parts = [_texts_key(self.settings.catalog_dir)]
        for folder in [Path(nlq.__file__).parent, Path(catalog.__file__).parent]:
            if folder.is_dir():  # the engine, the YAML reader and the catalog's model
                parts += [f"{p.name}:{p.stat().st_mtime_ns}" for p in sorted(folder.glob("*.*"))]
        parts.append(_default_pack_key())
        return "" if "" in parts else "|".join(parts)

    @functools.cached_property
    def fuzzy(self) -> Any:
        """The matchers for words exact linking left over: typos of values, title keywords."""
        titles = self.values.values.get("product_title", [])
        return (fuzzy_matcher(self.vocabulary), keyword_matcher(titles, self.glossary))

    @functools.cached_property
    def glossary(self) -> Any:
        """The catalog's value glossary (茶几 = coffee table …), nlq/glossary.py."""
        from shopql.keyed_cache import read_keyed, write_keyed
        from shopql.nlq.glossary import Glossary, load_glossary

        cache = self.settings.workspace / ".shopql" / "cache" / "glossary.pickle"
        glossary = read_keyed(cache, self._files_key)
        if not isinstance(glossary, Glossary):
            glossary = load_glossary(self.settings.catalog_dir)[0]
            write_keyed(cache, self._files_key, glossary)
        return glossary

    def pii_columns(self) -> dict[str, dict[str, str]]:
        from shopql.warehouse.policy import pii_columns

        try:
            catalog = self.catalog
        except Exception:  # a broken catalog must not switch masking off
            catalog = None
        return pii_columns(catalog)

    @functools.cached_property
    def guard_context(self) -> Any:
        from shopql.warehouse.policy import guard_context

        try:
            catalog = self.catalog
        except Exception:  # the built-in classes still apply
            catalog = None
        return guard_context(self.settings, schema=self.schema, catalog=catalog)

    def run(self, sql: str, question: str | None, source: str = "ask") -> Any:
        """Guard `sql` and run it on the reader; the QueryResult. Refusals and errors raise; every
        outcome is audited when the answer is finished (`close`)."""
        from shopql.warehouse.guard import guard_sql
        from shopql.warehouse.query import QueryResult, execute_readonly

        outcome, result = "refused", None
        try:
            ctx = self.guard_context
            if self.runner is not None:  # the lake's schema and masking (warehouse.spark)
                ctx = self.runner.guard_context(ctx)
            else:  # parse and bind on the reader the schema came from (no second database)
                ctx = dataclasses.replace(ctx, connection=self.reader())
            safe = guard_sql(sql, ctx)
            self.unguarded[safe] = sql
            if self.dry_run:  # the columns the query would return (bound, not run), no rows
                return QueryResult(sql=safe, columns=self._columns_of(safe), rows=[])
            outcome = "error"
            timeout, cap = self.settings.query_timeout_s, self.guard_context.row_cap
            if self.runner is not None:
                result = self.runner.run(safe, timeout, cap)
            else:
                self._fold_audit_before(safe)
                result = execute_readonly(self.reader(), safe, timeout, cap)
            outcome = "ok"
            return result
        finally:
            if not self.dry_run:
                self._audits.append((source, question, sql, result, outcome))

    def _columns_of(self, safe: str) -> list[str]:
        """The names of the columns `safe` returns, from DuckDB's binder (DESCRIBE runs nothing);
        none on the lake (its schema is Spark's) or when DuckDB cannot describe it."""
        import duckdb

        if self.runner is not None:
            return []
        try:
            return [str(row[0]) for row in self.reader().execute(f"DESCRIBE {safe}").fetchall()]
        except duckdb.Error:
            return []

    def _fold_audit_before(self, sql: str) -> None:
        """A query reading `_audit` (an admin's) sees every record so far: the pending ones
        (this process's reader closed meanwhile: the fold writes the warehouse)."""
        from shopql.warehouse.audit import pending

        if "_audit" in sql.lower() and pending(self.settings.workspace):
            if self._con is not None:
                self._con.close()
                self._con = None
            from shopql.warehouse.audit import fold

            fold(self.settings.warehouse_path)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.keep_reader = False
        self.close()

    def close(self) -> None:
        """Close the reader (unless `keep_reader`), then append the answer's audit rows to the
        workspace's journal (fsynced; folded into `_audit` later, ``warehouse.audit``) — before
        anything is shown."""
        if self._con is not None and not self.keep_reader:
            self._con.close()
            self._con = None
        self.flush_audit()

    def flush_audit(self) -> None:
        """Append the audit rows so far to the workspace's journal (fsynced), the reader left
        open (`shopql eval`: one connection for every question, each question's rows written)."""
        pending, self._audits = self._audits, []
        if pending:
            write_audit(self.settings.warehouse_path, self.settings.role, pending, journal=True)

    @property
    def examples_path(self) -> Path:
        return self.settings.workspace / ".shopql" / "examples.jsonl"


def add_catalog(vocab: Vocabulary, catalog: Any) -> None:
    """Metric and dimension names, labels and synonyms (both languages) from the catalog."""
    for metric in catalog.metrics.values():
        phrases = [
            metric.name,
            metric.name.replace("_", " "),
            *metric.label.values(),
            *metric.synonyms,
        ]
        vocab.add_all(phrases, Term("metric", metric.name, weight=20))
    for dim in catalog.dimensions.values():
        if dim.type == "time" or dim.name in catalog.value_groups:  # nlq/thresholds.py
            continue
        phrases = [dim.name, dim.name.replace("_", " "), *dim.label.values(), *dim.synonyms]
        vocab.add_all(phrases, Term("dimension", dim.name, weight=10))
    for table in catalog.tables.values():
        vocab.add_all([table.name, *table.synonyms], Term("table", table.name, weight=1))
    from shopql.nlq.families import add_family_words

    add_family_words(vocab, catalog)
    _add_counted_with_classifier(vocab, catalog)


def _add_counted_with_classifier(vocab: Vocabulary, catalog: Any) -> None:
    """ "国家个数", "卖家个数": a count the catalog names by a thing's word and 数 (国家数: the
    countries, counted) said with the classifier 个 before 数 is the same count. Only where the
    word before 数 is itself a word of the catalog (a dimension, a table or a counted thing: 国家, 卖家), so 人数
    or 件数 make no 个数 phrase."""
    named = {
        p
        for p, terms in vocab.terms.items()
        if any(t.kind in ("dimension", "table", "measure") for t in terms)
    }
    for phrase, terms in list(vocab.terms.items()):
        stem = phrase.removesuffix("数")
        if stem == phrase or len(stem) < 2 or stem not in named or stem + "个数" in vocab.terms:
            continue
        for term in terms:
            metric = catalog.metrics.get(term.target) if term.kind == "metric" else None
            if metric is not None and getattr(metric, "value_type", None) == "count":
                vocab.add(stem + "个数", term)


def _default_pack_key() -> str:
    from shopql.catalog.store import default_pack_dir

    return _texts_key(default_pack_dir(), "*.yaml")


def _texts_key(folder: Path, pattern: str = "*.*") -> str:
    """A digest of the names and bytes of the files in `folder` (empty when there is none)."""
    import hashlib

    digest = hashlib.sha256()
    try:
        if folder.is_dir():
            for p in sorted(folder.glob(pattern)):
                digest.update(f"{p.name}\0".encode())
                digest.update(hashlib.sha256(p.read_bytes() if p.is_file() else b"").digest())
    except OSError:  # unreadable: nothing is kept or read under a key that may not say it all
        return ""
    return digest.hexdigest()


def read_vocabulary(path: Path, key: str) -> Vocabulary | None:
    """The cached vocabulary, if it was built for `key`."""
    from shopql.keyed_cache import read_keyed

    vocab = read_keyed(path, key)
    return vocab if isinstance(vocab, Vocabulary) else None


def write_vocabulary(path: Path, key: str, vocab: Vocabulary) -> None:
    """Keep `vocab` (longest phrases first already sorted) for processes to come."""
    from shopql.keyed_cache import write_keyed
    from shopql.nlq.reading import _compare_phrases

    vocab.phrases_in("")  # its phrases by their first characters too (nlq/linking.py)
    _compare_phrases(vocab)  # and its comparison phrases (nlq/reading.py)
    write_keyed(path, key, vocab)


def write_audit(
    warehouse: Path,
    role: str,
    rows: list[tuple[str, str | None, str, Any, str]],
    *,
    journal: bool = False,
) -> None:
    """Append audit rows (source, question, sql, result, outcome) in one batch."""
    from shopql.warehouse.query import write_audit as append

    append(warehouse, role, rows, journal=journal)
