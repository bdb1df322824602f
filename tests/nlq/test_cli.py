"""`shopql ask`, `chat` and `eval` as a user runs them: output shapes, errors, follow-ups, and the
offline path never importing openai."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import cli_in_process, run_cli
from tests.nlq.conftest import FakeLLM, built_shop

TODAY = "2025-06-30"


@pytest.fixture
def shop(read_only_shop: Path) -> Path:
    """These commands only read the shop: one for the module (test_save writes its own)."""
    return read_only_shop


def ask(shop: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli_in_process("--workspace", str(shop), "ask", *args, "--today", TODAY)


def test_json_answer_follows_the_design(shop: Path) -> None:
    done = ask(shop, "sales by platform this month", "--engine", "offline", "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["question"] == "sales by platform this month"
    assert doc["engine"] == "offline"
    assert doc["columns"] == ["platform", "paid_gmv"]
    assert doc["rows"] == [["jd", 350], ["tmall", 80]]
    assert doc["sql"].startswith("SELECT") and "LIMIT" in doc["sql"]
    # a running month ends at today (the days before it), never reading data dated after today
    assert "time: 2025-06-01 → 2025-06-29 (this month (to date))" in doc["understood"]
    assert set(doc["definitions"]) == {"paid_gmv"}
    assert "results" not in doc


def test_compound_answer_lists_every_result_set(shop: Path) -> None:
    done = ask(shop, "本月销量前三的商品及其买家画像", "--format", "json")
    doc = json.loads(done.stdout)
    assert doc["rows"] == [["Coffee table", 2], ["Lamp", 1], ["Sofa", 1]]
    names = [r["name"] for r in doc["results"]]
    assert names == [
        "answer",
        "buyers_by_province",
        "buyers_by_member_level",
        "buyers_by_platform",
        "new_vs_returning",
    ]
    assert doc["results"][4]["rows"] == [["new", 1], ["returning", 1]]


def test_csv_and_sql_only(shop: Path) -> None:
    done = ask(shop, "orders by platform", "--format", "csv")
    assert done.stdout.splitlines() == ["platform,orders", "tmall,3", "jd,2"]
    done = ask(shop, "orders by platform", "--sql-only")
    assert done.returncode == 0
    assert done.stdout.strip().startswith("SELECT") and done.stdout.strip().endswith("LIMIT 10000")


def test_table_output_shows_understanding_sql_definitions_and_engine(shop: Path) -> None:
    done = ask(shop, "天猫本月的销售额", "--explain")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for expected in (
        "filter: platform in tmall",
        "time: 2025-06-01 → 2025-06-29 (本月 (to date))",
        "口径",
        "已付款订单",
        "What the SQL does",
        "engine: offline",
        "path: semantic",
        "80",
    ):
        assert expected in out


def test_unanswerable_question_is_one_clear_line(shop: Path) -> None:
    done = ask(shop, "what is the weather in Paris", "--engine", "offline")
    assert done.returncode == 5
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: the offline engine cannot answer this: no metric recognised")
    assert "did not understand: 'weather', 'paris'" in line and "try: " in line
    assert done.stdout == ""


def test_llm_engine_without_configuration(shop: Path) -> None:
    done = ask(shop, "orders", "--engine", "llm")
    assert done.returncode == 1
    assert "no LLM is configured" in done.stderr and "Traceback" not in done.stderr


def test_llm_engine_from_environment_only(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue("```sql\nSELECT count(*) AS n FROM orders\n```")
    env = {"OPENAI_BASE_URL": fake_llm.url, "OPENAI_API_KEY": "k", "SHOPQL_MODEL": "m"}
    done = cli_in_process(
        "--workspace", str(shop), "ask", "how many orders", "--engine", "llm", "--format", "json",
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["engine"] == "llm" and doc["rows"] == [[5]]


def test_a_statement_sqlglot_cannot_parse_is_one_line(shop: Path) -> None:
    """sqlglot logged "'…' contains unsupported syntax. Falling back to parsing as a 'Command'"
    through Python's last-resort handler: a second line on stderr beside the guard's error."""
    done = cli_in_process("--workspace", str(shop), "sql", "prepare p as select 1")
    assert done.returncode != 0
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: only SELECT queries may run here, not PREPARE")


def test_a_models_sql_never_reaches_the_terminal_raw(shop: Path, fake_llm: FakeLLM) -> None:
    """Found in session 40's review: that warning quoted the SQL raw, so a model's reply holding
    escape sequences (ESC ] 0 ; title BEL, ESC [ 2 J) reached the terminal through it."""
    esc = "\x1b]0;pwned\x07\x1b[2J"
    fake_llm.enqueue(f"```sql\nPREPARE p AS SELECT '{esc}'\n```")
    env = {
        "OPENAI_BASE_URL": fake_llm.url, "OPENAI_API_KEY": "k", "SHOPQL_MODEL": "m",
        "SHOPQL_LLM_MAX_TRIES": "1",
    }  # fmt: skip
    done = cli_in_process(
        "--workspace", str(shop), "ask", "how many orders", "--engine", "llm", env=env
    )
    assert done.returncode != 0 and done.stdout == ""
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "only SELECT queries may run here, not PREPARE" in line
    # under --debug the warning shows, escaped
    shown = run_cli("--debug", "--workspace", str(shop), "sql", f"PREPARE p AS SELECT '{esc}'")
    assert "\x1b" not in shown.stderr and "\x07" not in shown.stderr
    assert "sqlglot: 'PREPARE p AS SELECT '\\x1b]0;pwned\\x07\\x1b[2J''" in shown.stderr


def test_save_stores_an_example(tmp_path: Path) -> None:
    shop = built_shop(tmp_path)  # --save writes examples.jsonl: a shop of its own
    done = ask(shop, "orders by platform", "--save", "--format", "json")
    assert done.returncode == 0, done.stderr
    stored = (shop / ".shopql" / "examples.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(stored[0])["question"] == "orders by platform"


def test_chat_reads_questions_from_stdin_and_keeps_context(shop: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOPQL_", "OPENAI_"))}
    env["SHOPQL_CONFIG_DIR"] = os.environ["SHOPQL_CONFIG_DIR"]  # never the real user's
    lines = "sales by month in 2025\nand only on Tmall?\nnonsense words here\n按平台拆开\nexit\n"
    done = subprocess.run(
        [sys.executable, "-m", "shopql.cli", "--workspace", str(shop), "chat", "--format", "json",
         "--today", TODAY],
        input=lines, capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    docs = [json.loads(d) for d in _documents(done.stdout)]
    assert [d["question"] for d in docs] == [
        "sales by month in 2025",
        "and only on Tmall?",
        "按平台拆开",
    ]
    assert docs[1]["rows"] == [["2025-05-01", 120.5], ["2025-06-01", 80]]
    assert docs[2]["columns"] == ["month", "platform", "paid_gmv"]
    assert "cannot answer" in done.stderr  # the nonsense line, and the chat went on


def _documents(stdout: str) -> list[str]:
    docs, depth, current = [], 0, []
    for line in stdout.splitlines():
        current.append(line)
        depth += line.count("{") - line.count("}")
        if depth == 0 and line.strip() == "}":
            docs.append("\n".join(current))
            current = []
    return docs


def test_offline_path_never_imports_openai(shop: Path) -> None:
    code = (
        "import sys\n"
        "from shopql.cli.main import cli\n"
        f"cli.main(args=['--workspace', {str(shop)!r}, 'ask', 'orders by platform', "
        "'--engine', 'auto', '--format', 'json'], standalone_mode=False)\n"
        "assert 'openai' not in sys.modules, 'openai was imported'\n"
        "print('NO-OPENAI')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOPQL_", "OPENAI_"))}
    env["SHOPQL_CONFIG_DIR"] = os.environ["SHOPQL_CONFIG_DIR"]  # never the real user's
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "NO-OPENAI" in done.stdout


def test_core_never_imports_the_front_ends() -> None:
    code = (
        "import sys\n"
        "import shopql.nlq.answer, shopql.nlq.offline, shopql.nlq.llm, shopql.nlq.eval\n"
        "import shopql.nlq.chat, shopql.nlq.context, shopql.nlq.explain\n"
        "bad = [m for m in ('click', 'rich', 'textual', 'openai') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_word_it_cannot_place_means_no_answer_exit_5(shop: Path) -> None:
    """Issue 11: the engine never answers a different question. A word it cannot place stops
    the answer (exit 5) with what it understood, the word and close questions; --lenient answers
    the understood part with a loud note."""
    done = ask(shop, "sales by platform this month for the flibbertigibbet", "--engine", "offline")
    assert done.returncode == 5 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert "nothing answered" in line and "'flibbertigibbet'" in line
    assert "understood: metrics: paid_gmv" in line and "by: platform" in line
    assert "try: Paid GMV by platform" in line
    lenient = ask(
        shop,
        "sales by platform this month for the flibbertigibbet",
        "--engine",
        "offline",
        "--lenient",
        "--format",
        "json",
    )
    assert lenient.returncode == 0, lenient.stderr
    document = json.loads(lenient.stdout)
    assert document["ignored"] == ["flibbertigibbet"]
    assert any(n.startswith("LENIENT") and "flibbertigibbet" in n for n in document["notes"])
    assert len(document["rows"]) >= 1
