"""What the LLM is told: only the catalog context linked to the question, never PII values.

The context holds the linked tables with their columns (type and description), the metric
definitions as the SQL the metric compiler runs, the warehouse values the question mentions
(from non-PII columns only), and the stored example question→SQL pairs closest to the question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Tables that answer most questions: offered when the question links to nothing more specific.
CORE_TABLES = ("orders", "order_items", "customers", "products")
HIDDEN_TABLES = ("_meta", "_sync_files", "_quarantine", "_audit")


@dataclass
class ColumnInfo:
    name: str
    type: str
    description: str = ""
    pii: str | None = None


@dataclass
class MetricInfo:
    name: str
    description: str
    sql: str


@dataclass
class PromptContext:
    """Everything the model may see for one question."""

    today: dt.date
    tables: dict[str, list[ColumnInfo]] = field(default_factory=dict)
    table_notes: dict[str, str] = field(default_factory=dict)
    metrics: list[MetricInfo] = field(default_factory=list)
    values: list[tuple[str, str, Any]] = field(
        default_factory=list
    )  # (phrase, table.column, value)
    examples: list[tuple[str, str]] = field(default_factory=list)
    timezone: str = "Asia/Shanghai"
    notes: list[str] = field(default_factory=list)  # e.g. the question's time phrase resolved


SYSTEM = """\
You write one DuckDB SQL query that answers a question about an e-commerce warehouse.
Rules:
- Reply with exactly one SELECT (WITH … SELECT allowed) in a ```sql fenced block, nothing else.
- Use only the tables and columns listed below; never write, attach, copy, or read files.
- Money columns are DECIMAL in the order's currency; timestamps are shop-local ({timezone}).
- Today is {today}. Time ranges are half-open: ts >= start AND ts < end.
- Prefer the metric definitions given below (统一口径) when the question names a metric: each is
  the exact SQL shopql runs for it (over the question's period when it names one, else all
  time); keep its joins, filters and logic when you add a breakdown.
- Name output columns in snake_case; order rankings descending and add LIMIT for top-N."""


def render_system(ctx: PromptContext) -> str:
    """The system prompt for `ctx`."""
    parts = [SYSTEM.format(today=ctx.today.isoformat(), timezone=ctx.timezone), "", "Tables:"]
    for table, columns in ctx.tables.items():
        note = ctx.table_notes.get(table)
        parts.append(f"- {table}" + (f": {note}" if note else ""))
        for c in columns:
            desc = f" — {c.description}" if c.description else ""
            # person keys (class person) are counted and joined by every role: no warning
            pii = " (personal data: masked for most roles)" if c.pii and c.pii != "person" else ""
            parts.append(f"    {c.name} {c.type}{desc}{pii}")
    if ctx.metrics:
        parts += ["", "Metric definitions (口径):"]
        parts += [f"- {m.name}: {m.description}\n```sql\n{m.sql}\n```" for m in ctx.metrics]
    if ctx.values:
        parts += ["", "Values the question mentions:"]
        parts += [f"- {phrase!r} means {col} = {value!r}" for phrase, col, value in ctx.values]
    if ctx.notes:
        parts += ["", "About this question:"]
        parts += [f"- {note}" for note in ctx.notes]
    if ctx.examples:
        parts += ["", "Example questions with the SQL that answers them:"]
        parts += [f"Q: {q}\n```sql\n{sql}\n```" for q, sql in ctx.examples]
    return "\n".join(parts)


def messages_for(question: str, ctx: PromptContext) -> list[dict[str, str]]:
    """The opening conversation: the system prompt and the question."""
    return [
        {"role": "system", "content": render_system(ctx)},
        {"role": "user", "content": question},
    ]


def tables_from_schema(
    schema: dict[str, dict[str, str]],
    wanted: list[str],
    catalog: Any = None,
) -> tuple[dict[str, list[ColumnInfo]], dict[str, str]]:
    """Columns (with catalog descriptions and PII classes when there is a catalog) of `wanted`."""
    tables: dict[str, list[ColumnInfo]] = {}
    notes: dict[str, str] = {}
    for name in wanted:
        if name not in schema or name in HIDDEN_TABLES:
            continue
        described = getattr(catalog, "tables", {}).get(name) if catalog is not None else None
        cols = getattr(described, "columns", {}) if described is not None else {}
        tables[name] = [
            ColumnInfo(
                name=col,
                type=kind,
                description=_en(getattr(cols.get(col), "description", None)),
                pii=getattr(cols.get(col), "pii", None),
            )
            for col, kind in schema[name].items()
            if not _raw_twin(col, schema[name])
        ]
        if described is not None and _en(described.description):
            notes[name] = _en(described.description)
    return tables, notes


def _raw_twin(column: str, columns: dict[str, str]) -> bool:
    """`raw_status` beside `status`: the platform's own spelling of a canonical column. The model
    is shown the canonical one only, so it writes values that mean the same on every platform."""
    return column.startswith("raw_") and column[4:] in columns


def estimate_tokens(text: str) -> int:
    """A model-independent estimate of a prompt's size in tokens: about 4 characters per token
    for Latin text and code (OpenAI's rule of thumb for English) and one token per CJK character
    (BPE vocabularies split Chinese roughly per character). No tokenizer is downloaded."""
    cjk = sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return cjk + -(-(len(text) - cjk) // 4)


def _en(text: Any) -> str:
    if isinstance(text, dict):
        return str(text.get("en") or text.get("zh") or "")
    return str(text or "")
