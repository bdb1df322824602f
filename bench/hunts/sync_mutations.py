"""Hunt: files from strangers. Each export of the samples and fixtures is rewritten the ways other
tools and people rewrite a file without changing what it says (a BOM, GBK, CRLF, another column
order, every field quoted, tabs, an extra column, blank lines, a zip, xlsx), and damaged the ways
files get damaged (cut mid-row, a row with one field too many, text in a money cell). A rewrite
that keeps the meaning must load exactly like the original (the same rows read, loaded and
quarantined, the same order count, amount and units); damage must load with its bad rows
explained or fail with one clear line — never a traceback, never a changed warehouse on failure.

    python bench/hunts/sync_mutations.py [--only NAME] [--keep DIR]

Prints one line per case that breaks that rule and a summary; exit 1 when any does. Each case
syncs into its own fresh workspace through the installed `shopql` command.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "formats" / "samples"
SHOPQL = str(Path(sys.executable).with_name("shopql"))

SOURCES = [
    SHARED / "shopify" / "orders_export_1.pseudonymized.csv",
    SHARED / "tmall" / "tmall_order_report_2020-02.csv",
    SHARED / "youzan" / "订单数据.redacted-excerpt.csv",
    ROOT / "tests/fixtures/jd/订单导出_20240210.csv",
    ROOT / "tests/fixtures/douyin/抖店订单导出_20240410.csv",
    ROOT / "tests/fixtures/pinduoduo/orders_export_20240306.csv",
    ROOT / "tests/fixtures/taobao/ExportOrderDetailList202401151030.csv",
    ROOT / "tests/fixtures/amazon/All_Orders_2025-04-06.txt",
]

ENCODINGS = ("utf-8-sig", "utf-8", "gb18030", "utf-16")


def decode(data: bytes) -> tuple[str, str]:
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        return text, enc
    raise ValueError("undecodable")


def table(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def write(rows: list[list[str]], delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\n").writerows(rows)
    return out.getvalue()


def sniff(text: str) -> str:
    head = text.splitlines()[0]
    return "\t" if head.count("\t") > head.count(",") else ","


# meaning-keeping rewrites: (name, fn(text, delimiter) -> bytes | None, file suffix)
def _bom(t: str, d: str) -> bytes:
    return ("\ufeff" + t.lstrip("\ufeff")).encode("utf-8")


def _no_bom(t: str, d: str) -> bytes:
    return t.lstrip("\ufeff").encode("utf-8")


def _gbk(t: str, d: str) -> bytes | None:
    try:
        return t.lstrip("\ufeff").encode("gb18030")
    except UnicodeEncodeError:
        return None


def _crlf(t: str, d: str) -> bytes:
    return t.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def _reordered(t: str, d: str) -> bytes:
    rows = table(t.lstrip("\ufeff"), d)
    width = len(rows[0])
    order = list(range(width))[::-1]
    return write([[r[i] if i < len(r) else "" for i in order] for r in rows], d).encode()


def _quoted(t: str, d: str) -> bytes:
    return write(table(t.lstrip("\ufeff"), d), d, csv.QUOTE_ALL).encode()


def _tabs(t: str, d: str) -> bytes:
    return write(table(t.lstrip("\ufeff"), d), "\t").encode()


def _extra_column(t: str, d: str) -> bytes:
    rows = table(t.lstrip("\ufeff"), d)
    return write([rows[0] + ["备注X"]] + [r + ["n/a"] for r in rows[1:]], d).encode()


def _blank_lines(t: str, d: str) -> bytes:
    return (t.rstrip("\n") + "\n\n\n").encode("utf-8")


def _padded_header(t: str, d: str) -> bytes:
    rows = table(t.lstrip("\ufeff"), d)
    return write([[f" {h} " for h in rows[0]]] + rows[1:], d).encode()


_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::\d{2})?$")


def _excel_dates(t: str, d: str) -> bytes | None:
    """Opened and saved in Excel/WPS: 2024-01-15 11:00:00 becomes 2024/1/15 11:00."""
    rows = table(t.lstrip("\ufeff"), d)
    changed = False
    for row in rows[1:]:
        for i, cell in enumerate(row):
            m = _STAMP.match(cell.strip())
            if m:
                y, mo, da, h, mi = m.groups()
                row[i] = f"{y}/{int(mo)}/{int(da)} {int(h)}:{mi}"
                changed = True
    return write(rows, d).encode() if changed else None


KEEP: list[tuple[str, Callable[[str, str], bytes | None]]] = [
    ("excel_dates", _excel_dates),
    ("bom", _bom),
    ("no_bom", _no_bom),
    ("gb18030", _gbk),
    ("crlf", _crlf),
    ("reordered", _reordered),
    ("all_quoted", _quoted),
    ("tabs", _tabs),
    ("extra_column", _extra_column),
    ("blank_lines", _blank_lines),
    ("padded_header", _padded_header),
]


# damage: the rows of the file that stay right must load, the rest be explained, or one line
def _cut(t: str, d: str) -> bytes:
    data = t.encode("utf-8")
    return data[: int(len(data) * 0.7)]


def _long_row(t: str, d: str) -> bytes:
    rows = table(t.lstrip("\ufeff"), d)
    rows[1] = rows[1] + ["surplus"]
    return write(rows, d).encode()


def _text_money(t: str, d: str) -> bytes:
    rows = table(t.lstrip("\ufeff"), d)
    for i, h in enumerate(rows[0]):
        if any(w in h.lower() for w in ("金额", "total", "实付", "price", "价格")):
            rows[1][i] = "abc"
            break
    return write(rows, d).encode()


def _excel_numbers(t: str, d: str) -> bytes | None:
    """Saved by Excel: a long number (an order number) in scientific notation, its digits lost
    (3701234567890123401 -> 3.70123E+18): orders must not collapse into one silently."""
    rows = table(t.lstrip("\ufeff"), d)
    changed = False
    for row in rows[1:]:
        for i, cell in enumerate(row):
            digits = cell.strip().strip('="')
            if digits.isdigit() and len(digits) >= 12:
                row[i] = f"{int(digits):.5E}".replace("E+0", "E+")
                changed = True
    return write(rows, d).encode() if changed else None


def _total_row(t: str, d: str) -> bytes:
    """A 合计 (totals) row at the end, as exported reports and hand-made sheets have."""
    rows = table(t.lstrip("\ufeff"), d)
    width = len(rows[0])
    return write(rows + [["合计"] + [""] * (width - 1)], d).encode()


DAMAGE: list[tuple[str, Callable[[str, str], bytes | None]]] = [
    ("excel_numbers", _excel_numbers),
    ("total_row", _total_row),
    ("cut_mid_row", _cut),
    ("one_field_too_many", _long_row),
    ("text_in_money", _text_money),
]


def sync(ws: Path, path: Path) -> tuple[int, dict | None, str]:
    shutil.rmtree(ws, ignore_errors=True)
    subprocess.run([SHOPQL, "init", str(ws)], capture_output=True, check=True)
    done = subprocess.run(
        [SHOPQL, "--workspace", str(ws), "sync", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    try:
        report = json.loads(done.stdout) if done.stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    return done.returncode, report, done.stderr


def facts(ws: Path) -> tuple:
    import duckdb

    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        row = con.execute(
            "SELECT (SELECT count(*) FROM orders), (SELECT round(sum(paid_amount), 2) FROM orders),"
            " (SELECT sum(quantity) FROM order_items), (SELECT count(*) FROM _quarantine)"
        ).fetchall()[0]
    finally:
        con.close()
    return tuple(row)


def summary(report: dict | None) -> tuple:
    if not report:
        return ()
    t = report["totals"]
    return (t["rows_read"], t["rows_loaded"], t["rows_quarantined"], t["files_failed"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="only sources whose file name contains this")
    ap.add_argument("--keep", type=Path, help="keep the rewritten files here")
    args = ap.parse_args(argv)
    bad = total = 0
    with tempfile.TemporaryDirectory() as tmp_:
        tmp = Path(tmp_)
        for source in SOURCES:
            if args.only and args.only not in source.name:
                continue
            text, _ = decode(source.read_bytes())
            delim = sniff(text)
            rc, report, err = sync(tmp / "ws", source)
            if rc != 0 or report is None:
                print(f"BASE FAILS {source.name}: rc={rc} {err.strip()[-200:]}")
                bad += 1
                continue
            base = (summary(report), facts(tmp / "ws"))
            for kind, cases in (("keep", KEEP), ("damage", DAMAGE)):
                for name, fn in cases:
                    data = fn(text, delim)
                    if data is None:
                        continue
                    total += 1
                    folder = tmp / f"in_{name}"
                    shutil.rmtree(folder, ignore_errors=True)
                    folder.mkdir()
                    path = folder / source.name
                    path.write_bytes(data)
                    if args.keep:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        shutil.copy(path, args.keep / f"{name}__{source.name}")
                    rc, report, err = sync(tmp / "ws", path)
                    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
                    if "Traceback" in err:
                        print(f"TRACEBACK {kind}/{name} {source.name}: {lines[-1][:200]}")
                        bad += 1
                        continue
                    if kind == "keep":
                        got = (summary(report), facts(tmp / "ws")) if rc == 0 else None
                        if got != base:
                            print(
                                f"CHANGED {name} {source.name}: rc={rc} {got} vs {base}"
                                + (f" — {lines[-1][:160]}" if lines else "")
                            )
                            bad += 1
                    else:
                        if rc != 0 and len(lines) > 2:
                            print(f"LONG ERROR {name} {source.name}: {len(lines)} lines")
                            bad += 1
                        elif rc == 0:
                            s = summary(report)
                            f = facts(tmp / "ws")
                            print(
                                f"  damage {name} {source.name}: loaded {s} facts {f} (base {base})"
                            )
                        else:
                            print(
                                f"  damage {name} {source.name}: refused rc={rc}: {(lines or ['(nothing on stderr)'])[-1][:160]}"
                            )
    print(f"{total} rewritten files, {bad} broke the rule")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
