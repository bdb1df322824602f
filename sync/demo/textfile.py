"""Writing CSV the way each back office does: encodings, BOMs, line ends, quoting quirks."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

Cells = Sequence[str]


def money(fen: int) -> str:
    """Fen as yuan with two decimals."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def thousands(fen: int) -> str:
    """Yuan with a thousands separator (PDD's 商家实收金额)."""
    return f"{fen / 100:,.2f}"


def ts(value: datetime | None, empty: str = "") -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else empty


def _cell(value: str, specials: str) -> str:
    if value.startswith('="') and value.endswith('"') and "," not in value:
        return value  # Taobao's Excel guard, written raw as the back office does
    if any(ch in value for ch in specials) or value != value.strip(" "):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_rows(
    path: Path,
    header: Cells,
    rows: Iterable[Cells],
    *,
    encoding: str = "utf-8",
    newline: str = "\n",
    quote_tabs: bool = False,
) -> Path:
    """A comma-separated file built cell by cell (the csv module cannot keep `="…"` raw)."""
    specials = ',"\r\n' + ("\t" if quote_tabs else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(",".join(_cell(h, specials) for h in header) + newline)
        for row in rows:
            f.write(",".join(_cell(c, specials) for c in row) + newline)
    return path


def write_csv(
    path: Path,
    header: Cells,
    rows: Iterable[Cells],
    *,
    encoding: str = "utf-8",
    newline: str = "\n",
) -> Path:
    """A plain RFC-4180 CSV through the csv module (fast; for feeds without quirks)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(rows)
    return path
