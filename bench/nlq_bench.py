"""Question → SQL latency of the offline engine, in-process and as a whole `shopql ask` process.

    python bench/nlq_bench.py [--workspace DIR] [--runs 5] [--demo DIR]

Without --workspace, a workspace with the Olist data (../shared/data/olist) is built in a temporary
folder first. Targets (issue 11): question → SQL (understand → the pipeline's catalog compiler →
guard) < 20 ms median in-process; the whole `shopql ask --engine offline` process < 2.5 × a
process that only imports duckdb and sqlglot (what any answer needs). The two processes are run
side by side (alternating, same number of runs), so machine load affects both alike.

It also prints the size of the LLM's system prompt for the golden set's demo questions on the
generated demo (seed 7, scale 0.1, today 2025-06-01; built in a temporary folder unless --demo
names one): median and largest, in estimated tokens (`nlq.prompt.estimate_tokens`: ~4 characters
per token, one per CJK character; no tokenizer is downloaded).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLIST = ROOT.parent / "shared" / "data" / "olist"
TODAY = "2018-09-01"


def build_olist(folder: Path) -> Path:
    from shopql.config import load_settings
    from shopql.sync.engine import run_sync
    from shopql.warehouse.workspace import init_workspace

    ws = folder / "olist"
    init_workspace(ws)
    run_sync(load_settings(ws), [OLIST])
    return ws


def question_to_sql(workspace: Path, cpu: list[float] | None = None) -> list[float]:
    """Milliseconds per golden question for understand → compile → guard (warm workspace);
    the CPU milliseconds of each (this process, all threads) are appended to `cpu`."""
    from shopql.catalog.model import CatalogError
    from shopql.config import load_settings
    from shopql.nlq.eval import DEFAULT_SET, load_golden
    from shopql.nlq.offline import understand
    from shopql.nlq.pipeline import compile_semantic
    from shopql.nlq.session import Workspace
    from shopql.nlq.shared import NotUnderstood
    from shopql.warehouse.guard import guard_sql

    ws = Workspace(load_settings(workspace), today=dt.date.fromisoformat(TODAY))
    questions = [c.question for c in load_golden(DEFAULT_SET)]
    timings = []
    for warm in (True, False):
        for q in questions:
            started, started_cpu = time.perf_counter(), time.process_time()
            try:
                u = understand(q, ws)
                guard_sql(compile_semantic(ws, u.query)[1], ws.guard_context)
            except (NotUnderstood, CatalogError):
                pass
            if not warm:
                timings.append((time.perf_counter() - started) * 1000)
                if cpu is not None:
                    cpu.append((time.process_time() - started_cpu) * 1000)
    return timings


def build_demo(folder: Path) -> Path:
    from shopql.demo.runner import run_demo

    ws = folder / "demo"
    run_demo(ws, seed=7, scale=0.1, today=dt.date(2025, 6, 1))
    return ws


def prompt_tokens(workspace: Path) -> list[int]:
    """Estimated tokens of the system prompt plus question, per golden demo question."""
    from shopql.config import load_settings
    from shopql.nlq.eval import prompt_sizes
    from shopql.nlq.session import Workspace

    return prompt_sizes(Workspace(load_settings(workspace), today=dt.date(2025, 6, 1)), "demo")


CPU_SECONDS: dict[str, list[float]] = {}  # command's first word after -c/-m -> CPU s per run
# The processes run as an installed shopql runs: its modules' bytecode is cached (.pyc) after the
# first run, as duckdb's and sqlglot's already is (PYTHONDONTWRITEBYTECODE would make every run
# compile shopql's source again, ~0.1 s CPU, while the baseline's libraries stay compiled).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def process_seconds(args: list[str], runs: int) -> list[float]:
    """Wall seconds per run of `args`; its CPU seconds (user + system) go to CPU_SECONDS."""
    import resource

    out = []
    for _ in range(runs):
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False, env=_ENV)
        out.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime
        CPU_SECONDS.setdefault(" ".join(args[1:3]), []).append(spent)
    return out


def side_by_side(a: list[str], b: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall seconds of processes `a` and `b`, run alternately `runs` times each."""
    out_a: list[float] = []
    out_b: list[float] = []
    for _ in range(runs):
        out_a += process_seconds(a, 1)
        out_b += process_seconds(b, 1)
    return out_a, out_b


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--demo", type=Path, help="a demo workspace for the prompt sizes")
    args = parser.parse_args()
    load_before = os.getloadavg()  # the machine may be shared: say how busy it was
    with tempfile.TemporaryDirectory() as tmp:
        tokens = prompt_tokens(args.demo or build_demo(Path(tmp)))
        workspace = args.workspace or build_olist(Path(tmp))
        cpu_ms: list[float] = []
        ms = question_to_sql(workspace, cpu_ms)
        ask = [sys.executable, "-m", "shopql.cli", "--workspace", str(workspace), "ask",
               "top 5 states by sales in 2017", "--engine", "offline", "--today", TODAY,
               "--format", "json"]  # fmt: skip
        process_seconds(ask, 1)  # the first run fills the value-index cache
        bare = [sys.executable, "-c", "import duckdb, sqlglot"]
        whole, baseline = side_by_side(ask, bare, args.runs)
        openai = process_seconds([sys.executable, "-c", "import openai"], args.runs)
    print(f"question → SQL, in-process ({len(ms)} golden questions): median {statistics.median(ms):.1f} ms, "
          f"p90 {sorted(ms)[int(len(ms) * 0.9)]:.1f} ms, max {max(ms):.1f} ms (target < 20 ms median)")  # fmt: skip
    print(f"`shopql ask --engine offline` process: median {statistics.median(whole):.2f} s "
          f"over {args.runs} runs, alternating with the baseline")  # fmt: skip
    print(f"baseline `python -c 'import duckdb, sqlglot'`: median {statistics.median(baseline):.2f} s; "
          f"ask / baseline = {statistics.median(whole) / statistics.median(baseline):.2f} x "
          "(target < 2.5 x)")  # fmt: skip
    ask_cpu = statistics.median(CPU_SECONDS[" ".join(ask[1:3])][1:])
    bare_cpu = statistics.median(CPU_SECONDS[" ".join(bare[1:3])])
    print(f"CPU time (what load does not inflate): question → SQL median "
          f"{statistics.median(cpu_ms):.1f} ms; ask {ask_cpu:.2f} s, baseline {bare_cpu:.2f} s, "
          f"ask / baseline = {ask_cpu / bare_cpu:.2f} x")  # fmt: skip
    print(f"LLM prompt ({len(tokens)} golden demo questions): median {statistics.median(tokens):.0f} "
          f"estimated tokens, max {max(tokens)}")  # fmt: skip
    print(f"for scale, `python -c 'import openai'` alone: median {statistics.median(openai):.2f} s")
    load_after = os.getloadavg()
    print(f"machine load (1-minute average) {load_before[0]:.1f} before, {load_after[0]:.1f} after "
          f"on {os.cpu_count()} cores")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
