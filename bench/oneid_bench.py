"""OneID throughput on generated accounts with realistic identifier overlap, in one process.

    python -m shopql.bench.oneid_bench --accounts 1000000

The generator plants persons with 1–4 accounts across five platforms. Each account has its own
platform user key; it carries the person's phone in full (55 %, some as +86/0086 variants),
masked (25 %: never joins), an e-mail (35 %, mixed case), a member card (10 %). Junk: 0.5 % of
accounts carry their shop's own phone (five values shared by thousands: over-shared), 0.1 % a
test phone (blocklisted); 1 % of persons share a phone with the next person (a family: a true
merge OneID cannot tell apart). Reported: the first build (accounts/s), a rebuild of the same
data (ids kept), and, as the in-process baseline, a plain Python union-find over the same edges.

The builds run in a fresh process with the writer's memory bounds (DuckDB `memory_limit`, 3GB
as in a workspace by default, or --memory-limit, spilling to the workspace's .shopql/tmp); its peak RSS is
printed.

    python -m shopql.bench.oneid_bench --accounts 10000000 --no-baseline --no-rebuild \
        --keep DIR --ids DIR/ids-10m.parquet

keeps the generated accounts in DIR (the next run with the same size builds on a copy of them)
and writes every account's one_id to the Parquet file, or, when it is there (a build by other
code), counts the accounts whose one_id differs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from shopql.warehouse.connection import WRITER_MEMORY_LIMIT

PLATFORMS = ["tmall", "jd", "pdd", "douyin", "shopify"]


def generate(con: duckdb.DuckDBPyConnection, accounts: int, seed: int) -> int:
    """Fill `customers` and `identities` with `accounts` accounts; return the planted persons."""
    persons = int(accounts / 1.42) + 1
    h = f"hash(p, j, {seed}, '{{}}') % 100"
    con.execute(
        f"""CREATE TEMP TABLE _bench_acc AS
        SELECT p, j, ['tmall','jd','pdd','douyin','shopify'][1 + (hash(p, j, {seed}) % 5)::INT]
                   AS platform,
               '13' || lpad(p::VARCHAR, 9, '0') AS phone,
               {h.format("phone")} AS r_phone, {h.format("email")} AS r_email,
               {h.format("card")} AS r_card, hash(p, j, {seed}, 'junk') % 1000 AS r_junk,
               hash(p, {seed}, 'family') % 100 AS r_family
        FROM (SELECT p, unnest(range(1 + (k >= 70)::INT + (k >= 90)::INT + (k >= 98)::INT)) AS j
              FROM (SELECT p, hash(p, {seed}, 'k') % 100 AS k FROM range({persons}) t(p)))
        ORDER BY p, j LIMIT {accounts}"""
    )
    con.execute(
        """INSERT INTO customers (customer_id, platform)
        SELECT platform || ':u' || p || '_' || j, platform FROM _bench_acc"""
    )
    con.execute(
        """INSERT INTO identities (identifier_type, identifier_value, customer_id, platform)
        SELECT s.type, s.value, platform || ':u' || p || '_' || j, platform FROM (
          SELECT *, unnest([
            {'type': 'platform_user', 'value': 'u' || p || '_' || j},
            CASE WHEN r_phone < 45 THEN {'type': 'phone', 'value': phone}
                 WHEN r_phone < 50 THEN {'type': 'phone', 'value': '+86 ' || phone}
                 WHEN r_phone < 55 THEN {'type': 'phone', 'value': '0086-' || phone}
                 WHEN r_phone < 80 THEN {'type': 'phone',
                                         'value': left(phone, 3) || '****' || right(phone, 4)}
                 END,
            CASE WHEN r_family = 0 THEN {'type': 'phone', 'value': '13' || lpad((p + 1)::VARCHAR,
                                                                                9, '0')} END,
            CASE WHEN r_email < 20 THEN {'type': 'email', 'value': 'user' || p || '@mail.com'}
                 WHEN r_email < 35 THEN {'type': 'email', 'value': 'User' || p || '@Mail.com'}
                 END,
            CASE WHEN r_card < 10 THEN {'type': 'member_card', 'value': 'VIP' || p} END,
            CASE WHEN r_junk < 5 THEN {'type': 'phone', 'value': '0571-8888666' || (j % 5)}
                 WHEN r_junk = 5 THEN {'type': 'phone', 'value': '13800138000'} END
          ]) AS s FROM _bench_acc)
        WHERE s IS NOT NULL"""
    )
    con.execute("DROP TABLE _bench_acc")
    return persons


def python_union_find(con: duckdb.DuckDBPyConnection) -> tuple[float, int]:
    """Baseline: fetch the joined edges and run a textbook union-find in Python."""
    started = time.perf_counter()
    rows = con.execute(
        """SELECT customer_id, identifier_type || ':' || identifier_value FROM _identity_links
           WHERE status = 'joined'"""
    ).fetchall()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for account, key in rows:
        a, b = find(account), find(key)
        if a != b:
            parent[a] = b
    roots = {find(a) for a, _ in rows}
    return time.perf_counter() - started, len(roots)


def builds(
    database: Path, max_shared: int, memory_limit: str, rebuild: bool, ids: Path | None
) -> None:
    """The child process: the first build and a rebuild, as `shopql identity build` opens the
    warehouse (memory bounded, spilling into the workspace), then its peak RSS."""
    from shopql.insights.oneid import build_one_ids
    from shopql.warehouse.connection import bound_memory, duckdb_memory, memory_bytes

    con = duckdb.connect(str(database))
    bound_memory(con, database.parent, memory_limit)
    cpu = time.process_time()
    first = build_one_ids(con, max_shared=max_shared)
    cpu = time.process_time() - cpu
    rate = first.accounts / first.seconds
    print(f"build:   {first.seconds:.2f} s  {rate:,.0f} accounts/s  ({first.iterations} rounds)")
    # CPU time (all DuckDB threads) is the figure that survives a machine shared with others
    print(f"         {cpu:.2f} CPU s  {first.accounts / cpu:,.0f} accounts per CPU second")
    if ids is not None:
        _compare_ids(con, ids)
    if rebuild:
        again = build_one_ids(con, max_shared=max_shared)
        print(f"rebuild: {again.seconds:.2f} s  new persons {again.new_persons}, ids kept")
    con.close()
    print(
        f"persons {first.persons:,} from {first.accounts:,} accounts; merged accounts "
        f"{first.merged_accounts:,}; junk values dropped {first.junk_identifiers:,} "
        f"(e.g. {first.junk_examples[:2]}); masked values {first.masked_identifiers:,}"
    )
    print(f"phases (s): {first.phase_seconds}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    allowed = memory_bytes(memory_limit)
    within = "within" if allowed is None or peak_mb * 2**20 <= allowed else "ABOVE"
    print(
        f"peak RSS of the build process: {peak_mb:,.0f} MB, {within} memory_limit {memory_limit} "
        f"(DuckDB given {duckdb_memory(memory_limit)})"
    )
    print(json.dumps({"components": first.phase_seconds["components"]}))


def _compare_ids(con: duckdb.DuckDBPyConnection, ids: Path) -> None:
    """Save the first build's one_id of every account to `ids` (Parquet), or, when the file is
    there (a build of the same generated data, e.g. by the code before a change), count the
    accounts whose one_id differs from it."""
    if not ids.exists():
        con.execute(f"COPY (SELECT customer_id, one_id FROM one_ids) TO '{ids}' (FORMAT parquet)")
        print(f"one_ids saved to {ids}")
        return
    row = con.execute(
        f"""SELECT count(*) FILTER (WHERE o.one_id IS DISTINCT FROM r.one_id), count(*)
        FROM read_parquet('{ids}') r FULL JOIN one_ids o USING (customer_id)"""
    ).fetchone()
    assert row is not None
    print(f"one_id differs from {ids.name} for {row[0]:,} of {row[1]:,} accounts")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-shared", type=int, default=20)
    parser.add_argument("--memory-limit", default=WRITER_MEMORY_LIMIT)
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the Python union-find (it holds every edge in Python dicts: GBs at 10 M)",
    )
    parser.add_argument("--dir", type=Path, help="build the database here (kept) instead of /tmp")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep the generated accounts in DIR (made once per size and seed) and build on a "
        "copy of them, so builds by different code run on the same data",
    )
    parser.add_argument(
        "--ids",
        type=Path,
        metavar="FILE",
        help="Parquet of every account's one_id: written by the first build when absent, "
        "else compared with it (the accounts whose one_id differs are counted)",
    )
    parser.add_argument("--no-rebuild", action="store_true", help="skip the second build")
    parser.add_argument("--build", metavar="DATABASE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        ids = Path(args.ids).resolve() if args.ids else None
        builds(Path(args.build), args.max_shared, args.memory_limit, not args.no_rebuild, ids)
        return

    print(f"load average {_load()} on {os.cpu_count()} cores")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="oneid-bench-", dir=args.dir or args.keep) as tmp:
        database = Path(tmp) / "bench.duckdb"
        if args.keep:
            kept = args.keep / f"accounts-{args.accounts}-seed{args.seed}.duckdb"
            if not kept.exists():
                _generated(kept.with_suffix(".part"), args.accounts, args.seed)
                kept.with_suffix(".part").rename(kept)
            else:
                print(f"accounts kept in {kept}")
            shutil.copyfile(kept, database)
        else:
            _generated(database, args.accounts, args.seed)
        child = [sys.executable, "-m", "shopql.bench.oneid_bench", "--build", str(database)]
        child += ["--max-shared", str(args.max_shared), "--memory-limit", args.memory_limit]
        child += ["--no-rebuild"] if args.no_rebuild else []
        child += ["--ids", str(args.ids.resolve())] if args.ids else []
        done = subprocess.run(child, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"the build failed:\n{done.stderr}")
        *lines, last = done.stdout.strip().splitlines()
        print("\n".join(lines))
        components_s = json.loads(last)["components"]
        print(f"load average {_load()}")
        if args.no_baseline:
            return
        con = duckdb.connect(str(database))
        base_s, base_components = python_union_find(con)
        con.close()
    print(
        f"components in SQL {components_s:.2f} s vs baseline python union-find over the same "
        f"joined edges {base_s:.2f} s ({base_components:,} multi-account components): "
        f"{base_s / components_s:.2f}x the baseline's speed"
    )


def _generated(database: Path, accounts: int, seed: int) -> None:
    from shopql.warehouse.schema import migrate

    con = duckdb.connect(str(database))
    migrate(con)
    started = time.perf_counter()
    planted = generate(con, accounts, seed)
    n_ids = con.execute("SELECT count(*) FROM identities").fetchone()[0]  # type: ignore[index]
    print(f"generated {accounts:,} accounts, {n_ids:,} identifiers, ~{planted:,} planted")
    print(f"  persons in {time.perf_counter() - started:.1f} s")
    con.close()


if __name__ == "__main__":
    main()
