"""SQL that turns staged text cells into typed canonical values, and the rules that reject rows.

Everything here runs inside DuckDB over whole tables: no Python per row.
"""

from __future__ import annotations

import re

from shopql.sync.products import product_macros, standard_product_columns
from shopql.sync.spec import FieldSpec, FileKind, TargetSpec
from shopql.sync.vocab import macros as vocab_macros

WS = "chr(32) || chr(9) || chr(13) || chr(10) || chr(12288) || chr(160)"
END_CODES = "32, 9, 13, 10, 12288, 160"  # the same, as code points
PLACEHOLDERS = ["", "-", "--", "—", "——", "null", "NULL", "Null", "N/A", "n/a", "?", "暂无来源"]
TIME_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日",
]
# Chinese provinces by short name -> official name, so `上海`, `上海市` and `上海省` all compare equal.
PROVINCES = {
    **{m: m + "市" for m in ("北京", "上海", "天津", "重庆")},
    **{
        p: p + "省"
        for p in "河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 "
        "海南 四川 贵州 云南 陕西 甘肃 青海 台湾".split()
    },
    "内蒙古": "内蒙古自治区",
    "广西": "广西壮族自治区",
    "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
    "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}
OFFSET_FORMATS = [
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S%z",
]


def lit(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def lit_list(values: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(lit(v) for v in values) + "]::VARCHAR[]"


def macros(timezone: str) -> list[str]:
    """Temporary macros the cleaning SQL uses; `timezone` is the workspace's shop time zone."""
    money_junk = r"[¥￥$€£元,\s]|RMB|CNY|USD|BRL|GBP"
    return [
        f"""CREATE OR REPLACE TEMP MACRO sq_unwrap(x) AS
            CASE WHEN x LIKE '=%' OR x LIKE '''%'
                 THEN trim(regexp_replace(regexp_replace(x, '^="(.*)"$', '\\1'), '^''', ''), {WS})
                 ELSE x END""",
        # trim() with a character set is slow; most cells need nothing, so look at the ends
        # first (by code point: ord() and x[-1] are several times cheaper than left()/right())
        f"""CREATE OR REPLACE TEMP MACRO sq_strip(x) AS
            CASE WHEN ord(x) IN ({END_CODES}, 61, 39) OR ord(x[-1]) IN ({END_CODES})
                 THEN sq_unwrap(trim(x, {WS})) ELSE x END""",
        f"""CREATE OR REPLACE TEMP MACRO sq_numtext(s) AS
            regexp_replace(regexp_replace(s, '[（(].*$', ''), '{money_junk}', '', 'g')""",
        # Plain numbers take the direct cast; only the rest pays for the regular expressions.
        """CREATE OR REPLACE TEMP MACRO sq_money(s) AS
            coalesce(try_cast(s AS DECIMAL(18,2)), try_cast(sq_numtext(s) AS DECIMAL(18,2)))""",
        """CREATE OR REPLACE TEMP MACRO sq_number(s) AS
            coalesce(try_cast(s AS DOUBLE), try_cast(sq_numtext(s) AS DOUBLE))""",
        """CREATE OR REPLACE TEMP MACRO sq_int(s) AS
            CASE WHEN NOT contains(s, '.') AND try_cast(s AS BIGINT) IS NOT NULL
                 THEN try_cast(s AS BIGINT)
                 WHEN sq_number(s) = floor(sq_number(s)) THEN sq_number(s)::BIGINT END""",
        # ISO 8601's 'Z' is UTC: strptime's %z reads +00:00 but not Z ('2017-01-01T10:00:00Z').
        """CREATE OR REPLACE TEMP MACRO sq_zulu(s) AS
            CASE WHEN s[-1] IN ('Z', 'z') THEN left(s, length(s) - 1) || '+00:00' ELSE s END""",
        # A value with a UTC offset is converted to shop time; the others are shop time already.
        # (A bare cast to TIMESTAMP would silently drop the offset, so it only sees the rest.)
        f"""CREATE OR REPLACE TEMP MACRO sq_time(s, fmts) AS coalesce(
            CASE WHEN length(s) <= 19 OR NOT regexp_matches(s, '([+-][0-9]{{2}}:?[0-9]{{2}}|Z)$')
                 THEN try_cast(s AS TIMESTAMP) END,
            try_strptime(s, fmts),
            timezone({lit(timezone)}, try_strptime(sq_zulu(s), {lit_list(OFFSET_FORMATS)})),
            CASE WHEN regexp_full_match(s, '[1-9][0-9]{{4}}(\\.[0-9]+)?')
                 THEN TIMESTAMP '1899-12-30'
                      + to_microseconds(round(s::DOUBLE * 86400e6)::BIGINT) END)""",
        f"""CREATE OR REPLACE TEMP MACRO sq_unix(s) AS
            timezone({lit(timezone)}, to_timestamp(try_cast(s AS DOUBLE)))""",
        _province_macro(),
        BUYER_KEY_MACRO,
        *vocab_macros(),
        *product_macros(),
    ]


# The account key of a platform that exports no buyer id (Pinduoduo, Douyin): derived from the
# receiver. A full phone is the key on its own; a masked phone (138****1234) only together with
# the receiver's name (a masked phone alone would lump strangers into one account), else no
# account. Hashed so no phone ends up in a key column. The ONE place this key is derived:
# pseudonymisation at sync time wraps this macro.
BUYER_KEY_MACRO = """CREATE OR REPLACE TEMP MACRO sq_buyer_key(receiver, phone) AS
    CASE WHEN NOT regexp_full_match(phone, '(\\+?86)?1[0-9*]{10}') THEN NULL
         WHEN NOT contains(phone, '*') THEN left(md5(phone), 16)
         WHEN nullif(trim(receiver), '') IS NOT NULL
              AND NOT regexp_matches(receiver, '^(##|\\$\\$)')
              THEN left(md5(trim(receiver) || '|' || phone), 16) END"""


def _province_macro() -> str:
    """`sq_province(p)`: a Chinese province in its official form (上海 -> 上海市, 广东 -> 广东省)."""
    spellings = {
        variant: full
        for short, full in PROVINCES.items()
        for variant in (short, full, short + "省", short + "市")
    }
    arms = " ".join(f"WHEN {lit(v)} THEN {lit(full)}" for v, full in spellings.items())
    return f"CREATE OR REPLACE TEMP MACRO sq_province(p) AS CASE trim(p) {arms} ELSE p END"


def _typed(f: FieldSpec, s: str) -> str:
    """SQL for the typed value of field `f`, whose cleaned text is the expression `s`."""
    if f.type in {"text", "id"}:
        if f.statuses:
            return _status_case(f, s)
        return s
    if f.type == "money":
        return f"sq_money({s})"
    if f.type == "number":
        return f"sq_number({s})"
    if f.type == "int":
        return f"sq_int({s})"
    if f.type in {"timestamp", "date"}:
        return f"sq_time({s}, {lit_list(list(f.formats) + TIME_FORMATS)})"
    if f.type == "unix_time":
        return f"sq_unix({s})"
    raise AssertionError(f.type)


def _status_keys(raw: str) -> set[str]:
    return {raw, raw.replace("，", ","), raw.replace(",", "，")}


def _status_case(f: FieldSpec, s: str) -> str:
    assert f.statuses
    arms = [
        f"WHEN {lit(k)} THEN {lit(v)}"
        for raw, v in f.statuses.items()
        for k in sorted(_status_keys(raw))
    ]
    return f"CASE {s} " + " ".join(arms) + " END"


def _problem(f: FieldSpec, s: str, typed: str, header: str | None) -> str:
    """SQL giving the reason this field makes the row unloadable, or NULL."""
    col = f" in column {header}" if header else ""
    shown = f"left({s}, 40)"
    checks: list[str] = []
    if f.required:
        checks.append(f"WHEN {s} IS NULL THEN {lit(f'missing {f.name}{col}')}")
    if f.type == "id":
        checks.append(
            # Excel shows long numbers as 1.23457E+18; hex ids such as 4010…e566… are not that
            f"WHEN contains({s}, '+') "
            f"AND regexp_full_match({s}, '[0-9](\\.[0-9]+)?[eE]\\+[0-9]{{1,2}}') THEN "
            f"{lit(f'{f.name} ')} || {shown} || "
            f"{lit(' was turned into scientific notation by Excel; re-export the file without saving it in Excel')}"
        )
    kinds = {
        "money": "an amount",
        "number": "a number",
        "int": "a whole number",
        "timestamp": "a date/time",
        "date": "a date",
        "unix_time": "a unix time",
    }
    if f.type in kinds:
        checks.append(
            f"WHEN {s} IS NOT NULL AND {typed} IS NULL THEN "
            f"{lit(f'not {kinds[f.type]}{col}: ')} || {shown}"
        )
    if f.statuses:
        checks.append(
            f"WHEN {s} IS NOT NULL AND {typed} IS NULL THEN "
            f"{lit(f'unknown {f.name} ')} || {shown} || "
            f"{lit(' (add it to the mapping or report it)')}"
        )
    if not checks:
        return "NULL"
    return "CASE " + " ".join(checks) + " END"


def _text_col(name: str) -> str:
    return _q("_t_" + name)


def _fast_col(name: str) -> str:
    return _q("_v_" + name)


# The value of a typed cell cast straight from the cell as read, for the cells that need no
# cleaning (most of them): DuckDB's casts skip the ASCII whitespace at a cell's ends that
# sq_strip trims, and fail on everything else the cleaning handles (a no-break or ideographic
# space, an `=`/`'` wrapper, a placeholder, currency signs), so a value cast here is the one the
# cleaned text gives. A timestamp only when its cell is too short to hold a UTC offset: a bare
# cast would drop one (sq_time converts it), as it does in sq_time.
_FAST = {
    "money": "try_cast({c} AS DECIMAL(18,2))",
    "number": "try_cast({c} AS DOUBLE)",
    "int": "CASE WHEN NOT contains({c}, '.') THEN try_cast({c} AS BIGINT) END",  # as sq_int
    "timestamp": "CASE WHEN strlen({c}) <= 19 THEN try_cast({c} AS TIMESTAMP) END",
    "date": "CASE WHEN strlen({c}) <= 19 THEN try_cast({c} AS TIMESTAMP) END",
}


def fast_fields(
    kind: FileKind, field_columns: dict[str, int], keep_raw: set[str] | None
) -> set[str]:
    """Typed fields present in the file whose cells are cast before any cleaning (`_FAST`); only
    a cell that does not cast is stripped, blanked and typed as before. Not for a field whose
    cleaned text is kept (a target or the address standard reads it), nor one whose own empty
    values could cast (a `nulls` entry with a digit)."""
    return {
        f.name
        for f in kind.fields
        if f.type in _FAST
        and f.name in field_columns
        and keep_raw is not None
        and f.name not in keep_raw
        and not any(ch.isdigit() for v in f.nulls for ch in v)
    }


def text_select(
    kind: FileKind,
    columns: list[str],
    field_columns: dict[str, int],
    source: str = "_raw",
    fast: set[str] | None = None,
) -> str:
    """SELECT over `source` (the cells): its columns plus each present field's cleaned text
    (wrappers, blanks, placeholders) as `_t_<field>`. A `fast` field's cell is first cast as it
    is (`_v_<field>`); its text is cleaned only where that cast failed (else it is the cell,
    which then only says the value is there)."""
    fast = fast or set()
    casts = ["*"]
    inner = ["*"]
    outer: list[str] = []
    for f in kind.fields:
        idx = field_columns.get(f.name)
        if idx is None:
            continue
        name, cell = _text_col(f.name), columns[idx]
        values = [*PLACEHOLDERS, *f.nulls]
        empties = ", ".join(lit(v) for v in values)
        longest = max(len(v.encode()) for v in values)  # a length test spares most cells the list
        blank = f"strlen({name}) <= {longest} AND {name} IN ({empties})"
        if f.name in fast:
            value = _fast_col(f.name)
            casts.append(f"{_FAST[f.type].format(c=cell)} AS {value}")
            inner.append(
                f"CASE WHEN {value} IS NULL THEN sq_strip({cell}) ELSE {cell} END AS {name}"
            )
            blank = f"{value} IS NULL AND {blank}"
        else:
            inner.append(f"sq_strip({cell}) AS {name}")
        outer.append(f"CASE WHEN {blank} THEN NULL ELSE {name} END AS {name}")
    replace = f" REPLACE ({', '.join(outer)})" if outer else ""
    cells = source if len(casts) == 1 else f"(SELECT {', '.join(casts)} FROM {source})"
    return f"SELECT *{replace} FROM (SELECT {', '.join(inner)} FROM {cells})"


def raw_fields_used(kind: FileKind) -> set[str]:
    """Fields whose `<name>_raw` text a target or the address standard reads (the others' text
    is checked, then dropped: `_clean` keeps one copy of each value)."""
    return _fields_used(kind, "_raw")


def typed_fields_used(kind: FileKind) -> set[str]:
    """Fields whose typed value a target or the address standard reads (the others are typed
    and checked, then dropped: `_clean` does not store a column nothing reads)."""
    return _fields_used(kind, "")


def _fields_used(kind: FileKind, suffix: str) -> set[str]:
    texts = [*kind.address.values()]
    for t in kind.targets:
        texts += [*t.columns.values(), *t.group_by, t.where or ""]
    used = set()
    for f in kind.fields:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", f.name):  # a name \b cannot delimit
            used.add(f.name)
            continue
        pattern = re.compile(rf"\b{re.escape(f.name + suffix)}\b")
        if any(pattern.search(t) for t in texts):
            used.add(f.name)
    return used


def clean_select(
    kind: FileKind,
    columns: list[str],
    headers: list[str],
    field_columns: dict[str, int],
    trailing_ok: set[int],
    keep_raw: set[str] | None = None,
    source: str = "_raw",
    keep_typed: set[str] | None = None,
) -> str:
    """SELECT over `source` giving typed fields and `_reasons`, in one pass (plus `_row` when the
    source numbers its rows).

    Args:
        columns: positional column names of `_raw` (c1, c2 …).
        headers: header cells as in the file (for messages and repeated-header detection).
        field_columns: field name -> index into `columns` (fields absent from the file are NULL).
        trailing_ok: column indexes that may be missing at the end of a row (empty headers).
        keep_raw: fields whose `<name>_raw` column the result keeps (None: every field's).
        keep_typed: fields whose typed column the result keeps (None: every field's); the
            others are still typed and checked.
        source: the cells, one VARCHAR column per entry of `columns`; `_raw` also has `_row`.
    """
    typed_cols = ["_row"] if source == "_raw" else []
    fast = fast_fields(kind, field_columns, keep_raw)
    problems: list[str] = []
    dropped: list[str] = []
    for f in kind.fields:
        name, raw = _q(f.name), _q(f.name + "_raw")
        if keep_raw is not None and f.name not in keep_raw:
            dropped.append(raw)
        if keep_typed is not None and f.name not in keep_typed:
            dropped.append(name)
        idx = field_columns.get(f.name)
        if idx is None:
            typed_cols += [f"NULL AS {name}", f"NULL AS {raw}"]
            continue
        text = f"t.{_text_col(f.name)}"
        typed = _typed(f, text)
        if f.name in fast:  # the value cast straight from its cell, else from its cleaned text
            typed = f"coalesce(t.{_fast_col(f.name)}, {typed})"
        typed_cols += [f"{typed} AS {name}", f"{text} AS {raw}"]
        # checks read the typed and raw columns of the inner query: each value is typed once
        problems.append(_problem(f, raw, name, headers[idx].strip() or None))
    # A row broken as a whole (cut short, a repeated header) gets that one reason, not a list of
    # every field it spoils.
    structural = _short_row(columns, trailing_ok)
    if kind.header:
        structural = f"coalesce({structural}, {_repeated_header(columns, headers)})"
    typed_cols.append(f"{structural} AS _structural")
    # One text, the reasons joined by '; ' ('' when the row passed: `len(_reasons) = 0` holds
    # as it did for the list this was): concat_ws skips the checks that found nothing, and an
    # empty text is cheaper to build, store and filter on than a list per row.
    fields = "concat_ws('; ', " + ", ".join(problems or ["NULL"]) + ")"
    reasons = f"coalesce(_structural, {fields})"
    text = text_select(kind, columns, field_columns, source, fast)
    inner = "SELECT " + ", ".join(typed_cols) + f" FROM ({text}) t"
    exclude = ", ".join(["_structural", *dropped])
    return f"SELECT * EXCLUDE ({exclude}), {reasons} AS _reasons FROM ({inner})"


def _short_row(columns: list[str], trailing_ok: set[int]) -> str:
    last = max(i for i in range(len(columns)) if i not in trailing_ok) if columns else 0
    return (
        f"CASE WHEN {columns[last]} IS NULL THEN "
        f"'row is cut short: fewer fields than the header (truncated file?)' END"
    )


def _repeated_header(columns: list[str], headers: list[str]) -> str:
    # contains() first: a cell equal to the header once trimmed contains it (trim is slower)
    pairs = [
        f"contains({c}, {lit(h.strip())}) AND trim({c}) = {lit(h.strip())}"
        for c, h in zip(columns, headers, strict=False)
        if h.strip()
    ][:4]
    if not pairs:
        return "NULL"
    return (
        f"CASE WHEN {' AND '.join(pairs)} THEN 'repeated header row in the middle of the file' END"
    )


def raw_line(columns: list[str], delimiter: str) -> str:
    """SQL rebuilding the raw row as a delimited line (quoted where needed)."""
    cells = ", ".join(columns)
    quote = (
        f"lambda v: CASE WHEN v IS NULL THEN '' WHEN contains(v, {lit(delimiter)}) "
        "OR contains(v, '\"') OR contains(v, chr(10)) "
        "THEN '\"' || replace(v, '\"', '\"\"') || '\"' ELSE v END"
    )
    return f"array_to_string(list_transform([{cells}], {quote}), {lit(delimiter)})"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# canonical column -> the `_clean` column the address standard fills (see sync/places.py)
ADDRESS_COLUMNS = {
    "province": "addr_province",
    "city": "addr_city",
    "district": "addr_district",
    "province_code": "addr_province_code",
    "city_code": "addr_city_code",
    "district_code": "addr_district_code",
    "region": "addr_region",
    "country": "addr_country",
}


def standard_columns(
    t: TargetSpec, table_columns: set[str], addresses: bool = False
) -> dict[str, str]:
    """The target's columns with the data standard applied: each vocabulary column (payment
    channel, carrier, refund status) canonicalised with its raw value kept beside it, and, when
    the file's addresses were standardised, province/city/district (and codes, 大区, country)
    taken from the standardised address with the connector's own reading kept as raw_*."""
    from shopql.sync.vocab import MACROS, STANDARD_COLUMNS

    columns = dict(t.columns)
    for col, (raw_col, vocabulary) in STANDARD_COLUMNS.get(t.table, {}).items():
        expr = columns.get(col)
        if expr is None or raw_col in columns or raw_col not in table_columns:
            continue
        columns[raw_col] = expr
        columns[col] = f"{MACROS[vocabulary]}({expr})"
    if addresses and "province" in columns:
        for col, source in ADDRESS_COLUMNS.items():
            if col not in table_columns:
                continue
            raw_col = "raw_" + col
            if col in columns and raw_col in table_columns and raw_col not in columns:
                columns[raw_col] = columns[col]
            value = f"any_value({source})" if t.group_by else source
            if col in ("province", "city", "district") and col in columns:
                # an address that could not be standardised keeps the connector's own reading
                columns[col] = f"coalesce({value}, {columns[col]})"
            else:
                columns[col] = value
    if t.table in ("order_items", "products"):
        columns = standard_product_columns(columns, table_columns)
    return columns


def target_source(
    t: TargetSpec,
    file_id: int,
    table_columns: set[str],
    addresses: bool = False,
    required: frozenset[str] = frozenset(),
) -> tuple[str, list[str]]:
    """SELECT producing the rows for target `t` from the loadable cleaned rows, and its columns.
    `required`: the file's required fields (a loadable row has a value for each of them)."""
    columns = standard_columns(t, table_columns, addresses)
    if "source_file_id" in table_columns and "source_file_id" not in columns and not t.group_by:
        columns["source_file_id"] = str(file_id)
    names = list(columns)
    projection = ", ".join(f"{expr} AS {_q(col)}" for col, expr in columns.items())
    where = "len(_reasons) = 0" + (f" AND ({t.where})" if t.where else "")
    # `_file_id` lets a grouped target record lineage: `source_file_id: any_value(_file_id)`
    rows = f"(SELECT *, {int(file_id)} AS _file_id FROM _clean) AS _clean"
    if t.group_by:
        group = ", ".join(t.group_by)
        # In file order (each group where its first row is): an ordered insert writes full,
        # compressed row groups as it goes; hash-grouped rows arrive in no order and were left
        # for the checkpoint to compress, on one thread (and compress worse: orders 15 vs 9 MB
        # at 1 M lines).
        sql = f"SELECT {projection} FROM {rows} WHERE {where} GROUP BY {group} ORDER BY min(_row)"
    else:
        sql = f"SELECT {projection}, _row FROM {rows} WHERE {where}"
    # A key a loadable row cannot leave NULL needs no test (DuckDB would compute it twice)
    maybe_null = [k for k in t.key if not _never_null(columns.get(k, k), required)]
    not_null = " AND ".join(f"{_q(k)} IS NOT NULL" for k in maybe_null) or "true"
    if deduplicates(t):  # each key once: the rows keep their number for `latest_rows`
        sql = f"SELECT {', '.join(_q(n) for n in names)}, _row FROM ({sql}) WHERE {not_null}"
    else:
        sql = f"SELECT {', '.join(_q(n) for n in names)} FROM ({sql}) WHERE {not_null}"
    return sql, names


_CONCAT_TERM = r"(?:'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_]*)"
_CONCAT = re.compile(rf"\s*{_CONCAT_TERM}(?:\s*\|\|\s*{_CONCAT_TERM})*\s*")
_NAME = re.compile(r"'(?:[^']|'')*'|([A-Za-z_][A-Za-z0-9_]*)")


def _never_null(expr: str, required: frozenset[str]) -> bool:
    """Whether `expr` is non-NULL on every loadable row: literals and required fields joined by
    `||` (which is NULL only when a part is). A required field's missing or untypable value makes
    its row fail a check, so a loadable row has it."""
    if not _CONCAT.fullmatch(expr):
        return False
    return all(m.group(1) is None or m.group(1) in required for m in _NAME.finditer(expr))


def deduplicates(t: TargetSpec) -> bool:
    """Whether a file's rows for target `t` must hold each key once (the latest row wins)."""
    return t.mode in {"upsert", "insert_missing"} and not t.group_by


# Each key once, the latest row of the file winning. A window over the whole file (QUALIFY
# row_number() OVER (PARTITION BY key ORDER BY _row DESC) = 1) partitions and sorts every row
# with all its columns: at 10 M behaviour events that is most of the sync's time and grows
# faster than the file. Instead the key hashes that repeat are found first (one grouping of
# 8-byte hashes, usually empty); only rows with such a hash go through the window, and the rows
# it finds superseded (usually none) are left out of an insert that reads the rows in file order.
def repeated_keys(t: TargetSpec, rows: str) -> str:
    """The hashes of keys that occur more than once among `rows` (target_source's SELECT)."""
    keys = ", ".join(_q(k) for k in t.key)
    return f"""CREATE OR REPLACE TEMP TABLE _repeated AS
        SELECT hash({keys}) AS h FROM ({rows}) GROUP BY 1 HAVING count(*) > 1"""


def superseded_rows(t: TargetSpec, rows: str) -> str:
    """The rows (`_row`) a later row with the same key replaces, among those `_repeated` names."""
    keys = ", ".join(_q(k) for k in t.key)
    return f"""CREATE OR REPLACE TEMP TABLE _superseded AS
        SELECT _row FROM (
          SELECT _row, row_number() OVER (PARTITION BY {keys} ORDER BY _row DESC) AS _n
          FROM ({rows}) WHERE hash({keys}) IN (SELECT h FROM _repeated))
        WHERE _n > 1"""


def latest_rows(names: list[str], rows: str, superseded: bool) -> str:
    """`rows` without `_row`, leaving out the `_superseded` ones when there are any."""
    cols = ", ".join(_q(n) for n in names)
    if not superseded:
        return f"SELECT {cols} FROM ({rows})"
    return f"SELECT {cols} FROM ({rows}) s ANTI JOIN _superseded USING (_row)"


def write_target(
    t: TargetSpec, names: list[str], source: str = "_target_rows", empty: bool = False
) -> list[str]:
    """Statements writing the rows of `source` (a table or a parenthesised SELECT, each key once)
    into the target table according to its mode. Into an `empty` table every mode is one INSERT:
    there is nothing to replace or merge with."""
    cols = ", ".join(_q(n) for n in names)
    values = ", ".join(f"s.{_q(n)}" for n in names)
    on = " AND ".join(f"t.{_q(k)} = s.{_q(k)}" for k in t.key)
    table = _q(t.table)
    insert = f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {source} s"
    if t.mode == "append" or empty:
        return [insert]
    if t.mode == "replace":
        keys = ", ".join(_q(k) for k in t.key)
        return [
            f"DELETE FROM {table} t USING (SELECT DISTINCT {keys} FROM {source} s) s WHERE {on}",
            insert,
        ]
    update = ", ".join(f"{_q(n)} = s.{_q(n)}" for n in names if n not in t.key)
    matched = f" WHEN MATCHED THEN UPDATE SET {update}" if update and t.mode == "upsert" else ""
    return [
        f"MERGE INTO {table} t USING {source} s ON {on}{matched} "
        f"WHEN NOT MATCHED THEN INSERT ({cols}) VALUES ({values})"
    ]
