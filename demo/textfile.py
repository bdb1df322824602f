"""Writing CSV the way each back office does: encodings, BOMs, line ends, quoting quirks."""

from __future__ import annotations

import csv
import re
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
    return value.isoformat(" ", "seconds") if value else empty


_PLAIN = re.compile(r'[^,"\r\n ]|[^,"\r\n ][^,"\r\n]*[^,"\r\n ]')
_PLAIN_TAB = re.compile(r'[^,"\r\n\t ]|[^,"\r\n\t ][^,"\r\n\t]*[^,"\r\n\t ]')


def _cell(value: str, plain: re.Pattern[str]) -> str:
    if not value or plain.fullmatch(value):
        return value
    if value.startswith('="') and value.endswith('"') and "," not in value:
        return value  # Taobao's Excel guard, written raw as the back office does
    return '"' + value.replace('"', '""') + '"'


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
    plain = _PLAIN_TAB if quote_tabs else _PLAIN
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(",".join(_cell(h, plain) for h in header) + newline)
        for row in rows:
            f.write(",".join(_cell(c, plain) for c in row) + newline)
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
