"""Finding input files and making them readable by DuckDB: containers, encodings, delimiters.

DuckDB reads UTF-8 (with or without BOM) itself, .gz included. GB18030/GBK and UTF-16 files are
transcoded to a UTF-8 temporary file in one streaming pass (Python's codecs, 1 MiB chunks), because
DuckDB's encodings extension cannot be downloaded on an offline machine. .xlsx sheets are written
out as CSV with openpyxl in read-only mode; .zip archives are unpacked to a temporary folder.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from shopql.errors import SyncError

TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx"}
CHUNK = 1 << 20
# Archives from strangers: a member that unpacks to more than ZIP_BOMB_BYTES at a compression
# ratio over ZIP_BOMB_RATIO is a zip bomb, not an export (real CSV and sheet XML compress 5-30x);
# archives nest at most MAX_ZIP_DEPTH deep (a zip quine contains itself forever).
ZIP_BOMB_BYTES = 16 << 20
ZIP_BOMB_RATIO = 250
MAX_ZIP_DEPTH = 3
SNIFF_BYTES = 256 * 1024


@dataclass(frozen=True)
class InputFile:
    """A file to sync: where it is read from and how it is shown to the user."""

    path: Path
    display: str
    explicit: bool  # named on the command line (an unknown layout is then an error)
    problem: str | None = None  # known not to be loadable, and why (the file then fails)


@dataclass(frozen=True)
class Sniffed:
    """What the first bytes of a file say about it."""

    encoding: str  # utf-8, utf-8-sig, gb18030, utf-16
    delimiter: str
    header: list[str]
    gzipped: bool
    # every header cell wrapped in double quotes: a file written by a tool that quotes every
    # field (an Amazon flat file, which never quotes, re-saved that way)
    quoted_header: bool = False


def is_table_file(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in TABLE_SUFFIXES


def expand_inputs(
    paths: list[Path], workdir: Path
) -> tuple[list[InputFile], list[tuple[str, str]]]:
    """Files to sync under `paths` (folders recursively, zips unpacked), and skipped (name, why)."""
    files: list[InputFile] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        if not path.exists():
            raise SyncError(f"{path}: no such file or folder", "check the path")
        if path.is_dir():
            inside = path.resolve()
            for child in sorted(path.rglob("*")):
                why = _link_problem(child, inside)
                if why:
                    skipped.append((str(child), why))
                elif child.is_file():
                    _add(child, str(child), False, files, skipped, workdir)
        else:
            _add(path, str(path), True, files, skipped, workdir)
    return files, skipped


def _link_problem(child: Path, inside: Path) -> str | None:
    """Why a link found in a synced folder is not followed, or None (not a link, or a link to
    a file in the folder). A folder from someone else may hold links to any file of yours."""
    if not child.is_symlink():
        return None
    if not child.exists():
        return f"a broken link (to {os.readlink(child)}): nothing to read"
    target = child.resolve()
    if child.is_dir():
        return f"a link to the folder {target}: not followed — name that folder itself to sync it"
    if not target.is_relative_to(inside):
        return f"a link to {target}, outside the folder: name that file itself to sync it"
    return None


def _add(
    path: Path,
    display: str,
    explicit: bool,
    files: list[InputFile],
    skipped: list[tuple[str, str]],
    workdir: Path,
    depth: int = 0,
) -> None:
    if path.name.startswith("."):
        return
    if path.suffix.lower() == ".zip":
        # an archive is like a folder: members that are not exports are skipped, not errors
        if depth >= MAX_ZIP_DEPTH:
            skipped.append((display, f"archives nested more than {MAX_ZIP_DEPTH} deep"))
            return
        try:
            for member, shown in _unzip(path, workdir):
                _add(member, f"{display}!{shown}", False, files, skipped, workdir, depth + 1)
        except SyncError as e:
            if explicit:
                raise SyncError(f"{display}: {e.message}", e.hint) from e
            skipped.append((display, e.message))
        return
    if path.suffix.lower() == ".xlsx":
        _add_sheets(path, display, explicit, files, skipped, workdir)
        return
    if is_table_file(path) or explicit:
        files.append(InputFile(path, display, explicit))
    else:
        skipped.append((display, "not a table file (.csv, .tsv, .txt, .xlsx, .zip, .gz)"))


def _add_sheets(
    path: Path,
    display: str,
    explicit: bool,
    files: list[InputFile],
    skipped: list[tuple[str, str]],
    workdir: Path,
) -> None:
    """A workbook is like a folder of sheets: every non-empty sheet is detected on its own."""
    try:
        sheets = [s for s in workbook_sheets(path, workdir) if s.rows]
    except SyncError as e:
        if explicit:
            raise SyncError(f"{display}: {e.message}", e.hint) from e
        skipped.append((display, e.message))
        return
    if not sheets:
        skipped.append((display, "every sheet of the workbook is empty"))
    for sheet in sheets:
        shown = display if len(sheets) == 1 else f"{display}!{sheet.name}"
        files.append(InputFile(sheet.csv, shown, explicit and len(sheets) == 1, sheet.problem))


def _unzip(path: Path, workdir: Path) -> Iterator[tuple[Path, str]]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        raise SyncError("not a readable zip archive", "re-download the export") from e
    target = Path(tempfile.mkdtemp(prefix="zip-", dir=workdir))
    with archive:
        members = sorted(archive.infolist(), key=lambda i: i.filename)
        check_archive(members, target)
        for info in members:
            if info.is_dir() or Path(info.filename).name.startswith("."):
                continue
            name = _zip_name(info)
            # by the full member path: shopA/orders.csv and shopB/orders.csv are two files
            out = target / _safe_member_path(name)
            if not _unpacked(out):  # skipped by name: never written to disk
                yield out, name
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(out, "wb") as dst:
                while chunk := src.read(CHUNK):
                    dst.write(chunk)
            yield out, name


def _unpacked(member: Path) -> bool:
    """Whether an archive member is unpacked: exports, workbooks and archives (others are listed
    as skipped by name)."""
    return member.suffix.lower() in {".zip", ".xlsx"} or is_table_file(member)


def check_archive(members: list[zipfile.ZipInfo], target: Path, every: bool = False) -> None:
    """Refuse a zip bomb before unpacking anything: a member whose declared size (what Python's
    zipfile reads at most) is over ZIP_BOMB_BYTES at a ratio over ZIP_BOMB_RATIO, or members
    that would not fit on the disk. Only the members that are unpacked count, or `every` one
    (the parts of a workbook)."""
    import shutil

    total = 0
    for info in members:
        if info.is_dir() or not (every or _unpacked(Path(info.filename))):
            continue
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_BOMB_BYTES and ratio > ZIP_BOMB_RATIO:
            raise SyncError(
                f"{info.filename} would unpack to {info.file_size:,} bytes from "
                f"{info.compress_size:,} ({ratio:,.0f}x): a zip bomb, not an export",
                "unpack the archive yourself if you trust it, and sync the files",
            )
    free = shutil.disk_usage(target).free
    if total > free:
        raise SyncError(
            f"the archive would unpack to {total:,} bytes; {free:,} are free",
            "free disk space, or unpack it yourself and sync the files",
        )


def _safe_member_path(name: str) -> Path:
    """A member's path made relative and free of `..`, so it stays inside the extraction folder."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in {"", ".", ".."}]
    return Path(*parts) if parts else Path("member")


def _zip_name(info: zipfile.ZipInfo) -> str:
    # Chinese Windows zips store names in GBK without the UTF-8 flag.
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _open_bytes(path: Path) -> io.BufferedIOBase:
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")  # type: ignore[return-value,unused-ignore]
    return open(path, "rb")


# Legacy encodings a shop export may be in, tried strictly after UTF-8: mainland Chinese (GBK /
# GB18030), Traditional Chinese (Big5, as Windows writes it), Japanese (Shift-JIS, Amazon JP),
# Korean. Only when more than one of them decodes the sample does charset-normalizer decide.
LEGACY = ("gb18030", "cp950", "cp932", "euc_kr")
DELIMITERS = (",", "\t", ";", "|")


def detect_encoding(head: bytes) -> str:
    """Encoding of a text file from its first bytes.

    Fast paths first, so common files cost nothing extra: a BOM; UTF-16 without a BOM (NUL bytes
    on one side of each code unit); strict UTF-8; a sample only GB18030 decodes. Otherwise the
    legacy encodings that decode the sample strictly are ranked by charset-normalizer; a file
    none of them decodes is cp1252 when its header row is plain ASCII (a Western export).
    """
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head[:4096]:
        return _utf16_without_bom(head)
    sample = _whole_lines(head)
    if _decodes(sample, "utf-8"):
        return "utf-8"
    fitting = [c for c in LEGACY if _decodes(sample, c)]
    western = head.split(b"\n", 1)[0].isascii()  # an ASCII header: maybe a legacy EU export
    if fitting == ["gb18030"] and not western:
        return "gb18030"
    if western:
        fitting.append("cp1252")
    if len(fitting) > 1:
        return _rank(sample, fitting)
    if fitting:
        return fitting[0]
    if _mostly_utf8(sample):
        return "utf-8"
    raise SyncError(
        "file is not text in any encoding shopql knows (UTF-8, UTF-16, GB18030, Big5, "
        "Shift-JIS, EUC-KR, cp1252)",
        "export it again as CSV (UTF-8)",
    )


def _whole_lines(head: bytes) -> bytes:
    """The sample cut after its last line break, so no character is cut by the sniff window."""
    cut = head.rfind(b"\n")
    return head[: cut + 1] if cut > 0 else head


def _mostly_utf8(sample: bytes) -> bool:
    """Whether all but a few lines of the sample are UTF-8 (at most one in a hundred, the header
    among the good ones), and no legacy encoding does better: a UTF-8 export with a stray byte
    (a line pasted from a Latin-1 file, a damaged sector). Read as UTF-8, each bad line is
    quarantined with its reason (DuckDB rejects it) instead of the whole file refused."""
    lines = sample.splitlines()
    if not lines or not _decodes(lines[0], "utf-8"):
        return False

    def bad(encoding: str) -> int:
        return sum(not _decodes(line, encoding) for line in lines)

    wrong = bad("utf-8")
    return wrong <= max(1, len(lines) // 100) and all(bad(c) > wrong for c in LEGACY)


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        sample.decode(encoding)
        return True
    except UnicodeDecodeError as e:
        return e.start >= len(sample) - 4  # a character cut at the end of a one-line sample


def _utf16_without_bom(head: bytes) -> str:
    """UTF-16 LE/BE text has NUL bytes on one side of its code units (ASCII: commas, digits);
    binary junk has them on both."""
    window = head[:4096]
    even, odd = window[0::2].count(0), window[1::2].count(0)
    for encoding, nuls, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls >= 8 and others * 10 <= nuls and _decodes(_even(window), encoding):
            return encoding
    raise SyncError("file holds binary data, not a text table", "export it again as CSV")


def _even(data: bytes) -> bytes:
    return data[: len(data) - len(data) % 2]


def _rank(sample: bytes, fitting: list[str]) -> str:
    """The most plausible of the encodings that decode `sample` (charset-normalizer)."""
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:65536], cp_isolation=fitting).best()
    if best is None:
        return fitting[0]
    name = codecs.lookup(best.encoding).name
    # the Windows supersets: what Excel and the platforms' exporters really write
    return {"big5": "cp950", "shift_jis": "cp932", "gbk": "gb18030", "gb2312": "gb18030"}.get(
        name, name
    )


def sniff(path: Path) -> Sniffed:
    """Encoding, delimiter and header cells of a text table."""
    try:
        with _open_bytes(path) as f:
            head = f.read(SNIFF_BYTES)
    except (OSError, EOFError) as e:
        raise SyncError(f"cannot read {path.name}: {e}", "check that the file is complete") from e
    if not head.strip():
        raise SyncError("file is empty", "export it again")
    encoding = detect_encoding(head)
    text = (
        _even(head).decode(encoding, errors="ignore")
        if "16" in encoding
        else head.decode(encoding, errors="ignore")
    )
    text = text.lstrip("\ufeff")
    delimiter = _delimiter(text)
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    except (csv.Error, StopIteration) as e:
        raise SyncError("cannot parse the header row", "export it again as CSV") from e
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    first = text.split("\n", 1)[0].rstrip("\r")
    cells = first.split(delimiter)
    quoted = len(cells) > 1 and all(len(c) >= 2 and c[0] == c[-1] == '"' for c in cells)
    return Sniffed(encoding, delimiter, header, gzipped, quoted)


def _delimiter(text: str) -> str:
    """Comma or tab from the header row when no other candidate appears in it (the fast path);
    else DuckDB's own CSV sniffer on the sample decides (semicolon and pipe exports)."""
    first = text.splitlines()[0] if text else ""
    counts = {d: first.count(d) for d in DELIMITERS}
    if counts[";"] == 0 and counts["|"] == 0:
        return "\t" if counts["\t"] > counts[","] else ","
    return _sniffed_delimiter(text) or max(DELIMITERS, key=lambda d: counts[d])


def _sniffed_delimiter(text: str) -> str | None:
    import duckdb

    lines = text.splitlines(keepends=True)
    sample = "".join(lines[:-1] if len(lines) > 2 else lines)  # the last one may be cut
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", delete=False) as f:
        f.write(sample)
    try:
        con = duckdb.connect()
        row = con.execute(
            "SELECT Delimiter FROM sniff_csv(?, all_varchar = true, sample_size = 4096)", [f.name]
        ).fetchone()
        con.close()
    except duckdb.Error:
        return None
    finally:
        Path(f.name).unlink(missing_ok=True)
    return row[0] if row and row[0] in DELIMITERS else None


class LineScan:
    """The longest line (bytes between line feeds) of bytes fed in order, in two searches per
    chunk: exact for any line longer than the chunks fed (shorter ones may go unmeasured).

    Given the file's quote character, also whether some line holds an odd number of them
    (`odd_quotes`): a line break inside a quoted field (RFC 4180 quoting, the quote doubled to
    escape it, keeps every other line even), or a stray quote. A chunk without a quote costs one
    search; one with quotes, two C passes over it (measured in the README, issue 14)."""

    def __init__(self, quote: str = "") -> None:
        self.run = 0  # bytes since the last line feed
        self.longest = 0
        self.quote = quote.encode() if len(quote.encode()) == 1 else b""  # DuckDB's: one byte
        # every byte but the quote and the line feed, deleted to leave each line's quotes
        self._others = bytes(b for b in range(256) if b not in (*self.quote, 0x0A))
        self._open = b""  # the quotes of the line so far
        self._width, self._repeated = -1, b""
        self.odd_quotes = False

    def feed(self, data: bytes) -> None:
        first = data.find(b"\n")
        if self.quote and not self.odd_quotes and (self._open or self.quote in data):
            self._quotes(data)
        if first < 0:
            self.run += len(data)
            return
        self.longest = max(self.longest, self.run + first)
        self.run = len(data) - data.rfind(b"\n") - 1

    def _quotes(self, data: bytes) -> None:
        # Each line's quotes are one run in the kept bytes. Lines that all hold the same even
        # number of quotes (most exports) are matched at once; else dropping pairs leaves a
        # quote after each line with an odd number of them.
        kept = data.translate(None, self._others)
        end = kept.rfind(b"\n") + 1
        if not end:  # (the line's quotes kept by their parity)
            self._open = self.quote[: (len(self._open) + len(kept)) % 2]
            return
        lines = self._open + kept[:end]
        self._open = kept[end:]
        width = lines.find(b"\n")
        if width % 2 == 0 and lines == self._same(width, len(lines)):
            return
        self.odd_quotes = self.quote in lines.replace(self.quote * 2, b"")

    def _same(self, width: int, size: int) -> bytes:
        """`size` bytes of lines of `width` quotes each (the last width's kept: one in most files)."""
        if self._width != width or len(self._repeated) < size:
            self._width = width
            self._repeated = (self.quote * width + b"\n") * (2 * size // (width + 1) + 1)
        return self._repeated[:size]

    def close(self) -> int:
        self.longest = max(self.longest, self.run)
        self.odd_quotes = self.odd_quotes or len(self._open) % 2 == 1
        return self.longest


def scan_text(path: Path, quote: str = "") -> LineScan:
    """The (possibly gzipped) text file's lines, scanned (see LineScan)."""
    scan = LineScan(quote)
    with _open_bytes(path) as f:
        while chunk := f.read(CHUNK):
            scan.feed(chunk)
    scan.close()
    return scan


def longest_line(path: Path) -> int:
    """The longest line of a (possibly gzipped) text file when over CHUNK bytes (see LineScan)."""
    return scan_text(path).longest


def line_ends_mixed(path: Path) -> bool:
    """Whether the (possibly gzipped) text file ends some lines with CR LF and others with a bare
    LF (an export with lines appended in another editor, files joined): DuckDB's CSV reader takes
    one kind of line end per file and stops at the other ("The CSV Parser state machine reached
    an invalid state"), failing the whole file."""
    crlf = lf = 0
    last = b""
    with _open_bytes(path) as f:
        while chunk := f.read(CHUNK):
            lf += chunk.count(b"\n")
            crlf += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
            if crlf and lf > crlf:
                return True
            last = chunk[-1:]
    return False


def bare_cr(path: Path) -> bool:
    """Whether the (possibly gzipped) text file holds a CR that ends no line (no LF after it):
    a field's stray carriage return, written unquoted by a tool that ends lines in LF alone
    (a Taobao export's `'MZ-PILLOW-GRY\\r` re-saved by pandas). DuckDB's reader takes it for a
    line end of another kind and stops ("The CSV Parser state machine reached an invalid
    state"), failing the whole file."""
    last = b""
    with _open_bytes(path) as f:
        while chunk := f.read(CHUNK):
            data = last + chunk
            # a CR at the chunk's end is judged with the next chunk's first byte
            if re.search(rb"\r(?!\n)", data[:-1] if data.endswith(b"\r") else data):
                return True
            last = data[-1:] if data.endswith(b"\r") else b""
    return last == b"\r"  # the file's last byte


def lf_copy(path: Path, workdir: Path) -> Path:
    """A temporary copy of the (possibly gzipped) text file with every CR LF made LF and every
    bare CR (`bare_cr`) a space: the same lines, numbered the same, each field's text kept but
    for that one character (a CR inside a value is layout, never content the warehouse keeps),
    for a file DuckDB cannot read as it stands (`line_ends_mixed`, `bare_cr`)."""
    out = Path(tempfile.mkstemp(prefix="lf-", suffix=".csv", dir=workdir)[1])
    carry = b""
    with _open_bytes(path) as src, open(out, "wb") as dst:
        while chunk := src.read(CHUNK):
            data = carry + chunk
            carry = data[-1:] if data.endswith(b"\r") else b""  # its LF may open the next chunk
            kept = data[: len(data) - len(carry)]
            dst.write(kept.replace(b"\r\n", b"\n").replace(b"\r", b" "))
        dst.write(carry.replace(b"\r", b" "))
    return out


def utf8_copy(path: Path, encoding: str, workdir: Path) -> Path:
    """`path` itself when DuckDB can read it, else a UTF-8 transcoded temporary copy."""
    if encoding in {"utf-8", "utf-8-sig"}:
        return path
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    out = Path(tempfile.mkstemp(prefix="utf8-", suffix=".csv", dir=workdir)[1])
    with _open_bytes(path) as src, open(out, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            dst.write(decoder.decode(chunk))
        dst.write(decoder.decode(b"", final=True))
    return out


@dataclass(frozen=True)
class Sheet:
    """One worksheet of a workbook, written out as a UTF-8 CSV (values, not formulas)."""

    name: str
    csv: Path
    rows: int
    problem: str | None = None  # why the sheet must not load (formulas with no saved value)


def workbook_sheets(path: Path, workdir: Path) -> list[Sheet]:
    """Every non-empty sheet of an .xlsx workbook as CSV: python-calamine (fast, Rust), openpyxl
    when calamine cannot read the file. A formula cell with no saved value (a workbook written by
    a script and never opened in Excel) would read as empty: such sheets carry a `problem`.
    A workbook is a zip: one whose parts are a zip bomb is refused before any part is read."""
    try:
        with zipfile.ZipFile(path) as z:
            check_archive(z.infolist(), workdir, every=True)
    except zipfile.BadZipFile:
        pass  # not a zip: the readers below say what is wrong with it
    try:
        sheets = _calamine_sheets(path, workdir)
    except Exception:  # calamine raises its own kinds for files openpyxl may still read
        sheets = _openpyxl_sheets(path, workdir)
    formulas = _formulas_without_values(path)
    out = []
    for sheet in sheets:
        cells = formulas.get(sheet.name)
        if cells:
            shown = ", ".join(f"{c} ={f}" for c, f in cells[:3]) + (" …" if len(cells) > 3 else "")
            problem = (
                f"{len(cells)} formula cell(s) have no saved value ({shown}); they would load "
                "as empty. Open the workbook in Excel or WPS, save it, and sync again"
            )
            sheet = Sheet(sheet.name, sheet.csv, sheet.rows, problem)
        out.append(sheet)
    return out


def _calamine_sheets(path: Path, workdir: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        return [
            _write_sheet(name, book.get_sheet_by_name(name).iter_rows(), workdir)
            for name in book.sheet_names
        ]
    finally:
        book.close()


def _openpyxl_sheets(path: Path, workdir: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for damaged or encrypted files
        raise SyncError(
            f"cannot open the workbook ({type(e).__name__})",
            "if it is password-protected, open it in Excel and save it as CSV",
        ) from e
    try:
        return [_write_sheet(ws.title, ws.iter_rows(values_only=True), workdir) for ws in book]
    finally:
        book.close()


def _write_sheet(name: str, rows: Any, workdir: Path) -> Sheet:
    out = Path(tempfile.mkstemp(prefix="xlsx-", suffix=".csv", dir=workdir)[1])
    written = 0
    with open(out, "w", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst)
        for row in rows:
            cells = [_cell_text(v) for v in row]
            if written or any(cells):  # leading empty rows are not the header
                writer.writerow(cells)
                written += 1
    return Sheet(name, out, written)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # calamine reads every number as a float: 202401010001.0
    return str(value)


_CELL_FORMULA = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>\s*'
    rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?"
    rb"\s*</(?:\w+:)?c>"
)


def _formulas_without_values(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Sheet name -> [(cell, formula)] for formula cells with no cached value, read from the
    sheets' XML (a regular expression over the bytes: cells with a value never match)."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = _sheet_parts(z)
            out: dict[str, list[tuple[str, str]]] = {}
            for name, part in parts.items():
                with z.open(part) as f:
                    data = f.read()
                if b"<f" not in data and b":f" not in data:
                    continue
                found = [
                    (m.group(1).decode(), (m.group(2) or b"(shared)").decode("utf-8", "replace"))
                    for m in _CELL_FORMULA.finditer(data)
                ]
                if found:
                    out[name] = found
            return out
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return {}


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part in the package (workbook.xml and its relationships)."""
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    parts = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") or sheet.tag == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            where = target.get(rid, "")
            parts[sheet.get("name", "")] = (
                where.lstrip("/") if where.startswith("/") else ("xl/" + where)
            )
    return parts
