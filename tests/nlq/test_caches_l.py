"""What is derived from the catalog and the warehouse's values is cached (in memory per process,
on disk under .shopql keyed by the catalog's text and the warehouse's data version) and
invalidated: a catalog edit or a sync changes the words the next answer understands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from shopql.nlq.shared import NotUnderstood
from shopql.warehouse.connection import open_writer

TODAY = dt.date(2025, 6, 30)


def ask(shop: Path, question: str) -> object:
    return answer(Workspace(load_settings(shop), today=TODAY), question, engine="offline")


def test_a_glossary_edit_changes_the_words_understood(shop: Path) -> None:
    with pytest.raises(NotUnderstood):
        ask(shop, "units of zorblax")
    glossary = shop / "catalog" / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    assert "en: [lamp, lamps" in text
    glossary.write_text(text.replace("en: [lamp, lamps", "en: [zorblax, lamp, lamps"), "utf-8")
    a = ask(shop, "units of zorblax")
    assert a.main.rows == [(1,)]  # the one Lamp line (jd:o5, refunded but paid)
    # the parse is kept on disk under the text's hash; the vocabulary under the files' times
    cached = json.loads((shop / ".shopql" / "yaml" / "glossary.yaml.json").read_text("utf-8"))
    assert "zorblax" in json.dumps(cached["data"])
    glossary.write_text(text, "utf-8")  # and back: the word is unknown again
    with pytest.raises(NotUnderstood):
        ask(shop, "units of zorblax")


def test_a_sync_changes_the_values_understood(shop: Path) -> None:
    with pytest.raises(NotUnderstood):
        ask(shop, "paid GMV of gardening")
    assert ask(shop, "paid GMV of lighting").main.rows  # the value index is built and cached
    con = open_writer(shop / "warehouse.duckdb")
    con.execute(
        "INSERT INTO orders (order_id, platform, customer_id, status, created_at, paid_at, "
        "paid_amount) VALUES ('jd:o6', 'jd', 'jd:2', 'paid', '2025-06-21', '2025-06-21', 30.00)"
    )
    con.execute(
        "INSERT INTO order_items (order_id, line_no, product_id, title, category, quantity, "
        "unit_price, paid_amount) VALUES ('jd:o6', 1, 'jd:p9', 'Rake', 'gardening', 1, 30, 30)"
    )
    # what a sync records for the file it loaded: the data version the caches are keyed by
    con.execute(
        "INSERT INTO _sync_files (file_id, path, rows_loaded) VALUES (nextval('_file_seq'), "
        "'x.csv', 2)"
    )
    con.close()
    a = ask(shop, "paid GMV of gardening")
    assert [float(v) for v in a.main.rows[0]] == [30.0]


def test_ask_rebuilds_what_a_sync_left_stale_through_its_own_reader(shop: Path) -> None:
    """`ask` looks for stale derived state through the reader it then answers with (one open of
    the warehouse), and still rebuilds first."""
    import duckdb

    from shopql.warehouse.derived import ONE_ID, mark_stale, stale_state
    from tests.conftest import run_cli

    con = open_writer(shop / "warehouse.duckdb")
    mark_stale(con, ONE_ID, "test")
    con.close()
    done = run_cli(
        "--workspace", str(shop), "ask", "paid GMV by platform", "--engine", "offline",
        "--today", "2025-06-30", "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "note:" in done.stderr
    assert sorted(json.loads(done.stdout)["rows"]) == [["jd", 350], ["tmall", 200.5]]
    con = duckdb.connect(str(shop / "warehouse.duckdb"), read_only=True)
    try:
        assert stale_state(con) == {}
    finally:
        con.close()


def test_a_section_read_from_the_default_pack_is_parsed_once_per_workspace(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workspace seeded before festivals.yaml existed reads the festivals of the default pack:
    its parse is kept in the workspace's .shopql/default/ (apart from the workspace's own files of
    the same name), so later processes import no YAML parser for it."""
    import yaml

    from shopql.catalog import loader
    from shopql.nlq.periods import load_festivals

    (shop / "catalog" / "festivals.yaml").unlink()
    monkeypatch.setattr(loader, "_parsed", {})  # a new process: nothing parsed in memory yet
    first = load_festivals(shop / "catalog")
    assert "双十一" in {f.name for f in first}
    assert (shop / ".shopql" / "default" / "yaml" / "festivals.yaml.json").is_file()
    assert not (shop / ".shopql" / "yaml" / "festivals.yaml.json").exists()

    def no_parser(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(loader, "_parsed", {})  # the next process
    monkeypatch.setattr(yaml, "load", no_parser)
    assert load_festivals(shop / "catalog") == first
