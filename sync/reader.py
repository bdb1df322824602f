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
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from shopql.errors import SyncError

TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx"}
CHUNK = 1 << 20
SNIFF_BYTES = 256 * 1024


@dataclass(frozen=True)
class InputFile:
    """A file to sync: where it is read from and how it is shown to the user."""

    path: Path
    display: str
    explicit: bool  # named on the command line (an unknown layout is then an error)


@dataclass(frozen=True)
class Sniffed:
    """What the first bytes of a file say about it."""

    encoding: str  # utf-8, utf-8-sig, gb18030, utf-16
    delimiter: str
    header: list[str]
    gzipped: bool


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
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                _add(child, str(child), False, files, skipped, workdir)
        else:
            _add(path, str(path), True, files, skipped, workdir)
    return files, skipped


def _add(
    path: Path,
    display: str,
    explicit: bool,
    files: list[InputFile],
    skipped: list[tuple[str, str]],
    workdir: Path,
) -> None:
    if path.name.startswith("."):
        return
    if path.suffix.lower() == ".zip":
        # an archive is like a folder: members that are not exports are skipped, not errors
        for member, shown in _unzip(path, workdir):
            _add(member, f"{display}!{shown}", False, files, skipped, workdir)
        return
    if is_table_file(path) or explicit:
        files.append(InputFile(path, display, explicit))
    else:
        skipped.append((display, "not a table file (.csv, .tsv, .txt, .xlsx, .zip, .gz)"))


def _unzip(path: Path, workdir: Path) -> Iterator[tuple[Path, str]]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        raise SyncError(f"{path}: not a readable zip archive", "re-download the export") from e
    target = Path(tempfile.mkdtemp(prefix="zip-", dir=workdir))
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or Path(info.filename).name.startswith("."):
                continue
            name = _zip_name(info)
            # by the full member path: shopA/orders.csv and shopB/orders.csv are two files
            out = target / _safe_member_path(name)
            out.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(out, "wb") as dst:
                while chunk := src.read(CHUNK):
                    dst.write(chunk)
            yield out, name


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
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def detect_encoding(head: bytes) -> str:
    """Encoding of a text file from its first bytes: BOMs, then strict UTF-8, then GB18030, then
    cp1252 when the header row is plain ASCII (a Western export)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head[:4096]:
        raise SyncError("file holds binary data, not a text table", "export it again as CSV")
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.start >= len(head) - 4:  # a character cut by the sniff window
            return "utf-8"
    try:
        head.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as e:
        if e.start >= len(head) - 4:
            return "gb18030"
    if head.split(b"\n", 1)[0].isascii():
        return "cp1252"  # a Western export (ASCII header, legacy EU Amazon flat files)
    raise SyncError(
        "file is neither UTF-8, UTF-16 nor GB18030 text", "export it again as CSV (UTF-8 or GBK)"
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
    text = head.decode(encoding, errors="ignore")
    first = text.splitlines()[0] if text else ""
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    except (csv.Error, StopIteration) as e:
        raise SyncError("cannot parse the header row", "export it again as CSV") from e
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    return Sniffed(encoding, delimiter, header, gzipped)


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


def xlsx_to_csv(path: Path, workdir: Path) -> Path:
    """Write the first sheet of an .xlsx workbook as a UTF-8 CSV (values, not formulas)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for damaged or encrypted files
        raise SyncError(
            f"{path.name}: cannot open the workbook ({type(e).__name__})",
            "if it is password-protected, open it in Excel and save it as CSV",
        ) from e
    out = Path(tempfile.mkstemp(prefix="xlsx-", suffix=".csv", dir=workdir)[1])
    with open(out, "w", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst)
        for row in book.worksheets[0].iter_rows(values_only=True):
            writer.writerow(["" if v is None else v for v in row])
    book.close()
    return out
