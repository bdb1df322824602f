"""Segment exports in the formats the platforms' audience tools accept.

One row per person of the segment who has at least one identifier the target matches on (the
others are counted as skipped, never silently dropped). Identifiers come from the person's
platform accounts: when a person has several phones or e-mails, the alphabetically first usable
one is used (one row per person keeps the upload's count equal to the audience's).

Normalisation, in SQL, before hashing:

- mainland mobile: the digits, a leading 0086/86 removed, kept when 11 digits starting 13–19
  (a number written with ``+`` or ``00`` must have the country code 86);
- E.164 (Meta, Google, Shopify): ``+86`` and the 11 digits for a mainland mobile; a phone the
  export wrote with a leading ``+`` keeps its country code (``+`` and its digits); other numbers
  (landlines without a country code) are not used;
- e-mail: trimmed and lower-cased, kept when it has one ``@`` and a dot in the domain.

Masked values (``138****1234``, ``a***@qq.com``) never match and are not used. Hashes are
lowercase hex digests of the UTF-8 normalised value. Meta hashes the phone without its ``+``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from shopql.errors import ExitCode, ShopqlError

# A number written with + or 00 states its country: it is a mainland mobile only after 86
# (+1 415 555 0100 has 11 digits starting 14 too).
CN_MOBILE = """CASE WHEN trim(raw) LIKE '+%' OR d LIKE '00%'
    THEN CASE WHEN regexp_matches(d, '^(0086|86)1[3-9][0-9]{9}$') THEN right(d, 11) END
    ELSE CASE WHEN regexp_matches(d, '^(86)?1[3-9][0-9]{9}$') THEN right(d, 11) END END"""
E164 = f"""CASE WHEN ({CN_MOBILE}) IS NOT NULL THEN '+86' || ({CN_MOBILE})
    WHEN trim(raw) LIKE '+%' AND length(d) BETWEEN 8 AND 15 THEN '+' || d END"""
EMAIL = """CASE WHEN regexp_matches(lower(trim(email_raw)), '^[^@\\s*]+@[^@\\s*]+\\.[^@\\s*]+$')
    THEN lower(trim(email_raw)) END"""


@dataclass(frozen=True)
class Target:
    """An audience tool: its columns as (header, SQL over the person's normalised values)."""

    key: str
    title: str
    columns: tuple[tuple[str, str], ...]
    raw: bool = False  # plain phones/e-mails: only for roles that may see PII
    contacts: bool = True  # carries (hashed) contact data at all


_MD5_PHONE = ("phone_md5", "md5(cn_mobile)")
TARGETS: dict[str, Target] = {
    "persons": Target(
        "persons",
        "persons with their tags (no contact data)",
        (
            ("one_id", "one_id"),
            ("rfm_segment", "rfm_segment"),
            ("rfm_segment_en", "rfm_segment_en"),
            ("lifecycle", "lifecycle"),
            ("net_spend", "net_spend"),
            ("preferred_platform", "preferred_platform"),
        ),
        contacts=False,
    ),
    "taobao": Target(
        "taobao",
        "Taobao/Tmall 达摩盘 (DMP) 人群上传",
        (_MD5_PHONE, ("taobao_buyer_id", "id_tmall")),
    ),
    "oceanengine": Target(
        "oceanengine",
        "巨量引擎 / 巨量云图 人群包上传",
        (_MD5_PHONE, ("douyin_buyer_id", "id_douyin")),
    ),
    "jd": Target("jd", "JD 京准通 (DMP) 人群上传", (_MD5_PHONE, ("jd_pin", "id_jd"))),
    "meta": Target(
        "meta",
        "Meta customer list (Custom Audiences)",
        (
            ("email", "sha256(email)"),
            ("phone", "sha256(ltrim(e164, '+'))"),
            ("country", "sha256(country)"),
        ),
    ),
    "google": Target(
        "google",
        "Google Ads Customer Match",
        (("Email", "sha256(email)"), ("Phone", "sha256(e164)"), ("Country", "upper(country)")),
    ),
    "shopify": Target(
        "shopify",
        "Shopify customer import",
        (
            ("First Name", "''"),
            ("Last Name", "''"),
            ("Email", "email"),
            ("Accepts Email Marketing", "'no'"),
            ("Phone", "e164"),
            ("Accepts SMS Marketing", "'no'"),
            ("Tags", "$segment"),
            ("Note", "'shopql ' || one_id"),
        ),
        raw=True,
    ),
}
# What must be present for a person to be exported to each target.
NEEDS = {
    "persons": "TRUE",
    "taobao": "cn_mobile IS NOT NULL OR id_tmall IS NOT NULL",
    "oceanengine": "cn_mobile IS NOT NULL OR id_douyin IS NOT NULL",
    "jd": "cn_mobile IS NOT NULL OR id_jd IS NOT NULL",
    "meta": "email IS NOT NULL OR e164 IS NOT NULL",
    "google": "email IS NOT NULL OR e164 IS NOT NULL",
    "shopify": "email IS NOT NULL OR e164 IS NOT NULL",
}


class ExportRefused(ShopqlError):
    """The role may not export this target's contact data."""

    exit_code = ExitCode.REFUSED


def identifiers_sql(members: str) -> str:
    """One row per member: normalised phone forms, e-mail, platform ids and tags."""
    return f"""
    WITH m AS (SELECT DISTINCT one_id FROM ({members})),
    acc AS (
        SELECT coalesce(c.one_id, c.customer_id) AS one_id, c.platform, c.buyer_key,
               c.phone AS raw, regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g') AS d,
               c.email AS email_raw
        FROM customers AS c WHERE coalesce(c.one_id, c.customer_id) IN (SELECT one_id FROM m)),
    norm AS (
        SELECT one_id, platform, buyer_key, {CN_MOBILE} AS cn_mobile, {E164} AS e164,
               {EMAIL} AS email
        FROM acc),
    per AS (
        SELECT one_id, min(cn_mobile) AS cn_mobile, min(e164) AS e164, min(email) AS email,
               min(buyer_key) FILTER (WHERE platform IN ('tmall', 'taobao')) AS id_tmall,
               min(buyer_key) FILTER (WHERE platform = 'douyin') AS id_douyin,
               min(buyer_key) FILTER (WHERE platform = 'jd') AS id_jd
        FROM norm GROUP BY one_id)
    SELECT m.one_id, per.cn_mobile, per.e164, per.email, per.id_tmall, per.id_douyin, per.id_jd,
           CASE WHEN per.e164 LIKE '+86%' THEN 'cn' END AS country,
           t.rfm_segment, t.rfm_segment_en, t.lifecycle, t.net_spend, t.preferred_platform
    FROM m LEFT JOIN per USING (one_id) LEFT JOIN person_tags AS t USING (one_id)"""


def check_allowed(target: Target, roles: dict[str, dict[str, Any]], role: str, raw: bool) -> None:
    """Raise ExportRefused unless `role` may export what `target` (and `raw`) carries."""
    rights = roles.get(role, {})
    sees_pii = rights.get("pii") == "show"
    if (target.raw or raw) and not sees_pii:
        raise ExportRefused(
            f"role {role!r} may not export raw phones or e-mails (target {target.key})",
            "use a hashed target (taobao, oceanengine, jd, meta, google) or a role with pii = "
            "'show'",
        )
    if target.contacts and not (sees_pii or rights.get("export_contacts")):
        raise ExportRefused(
            f"role {role!r} may not export contact data, even hashed",
            "ask an admin, or set export_contacts = true for the role in shopql.toml",
        )


def export_rows(
    con: duckdb.DuckDBPyConnection,
    members: str,
    target: Target,
    segment: str,
    raw: bool,
    mask_persons: bool = False,
) -> tuple[list[str], list[list[Any]], int]:
    """(header, rows, persons skipped for lack of a usable identifier). With `mask_persons`
    the one_id is shown as the guard shows a person key (an account key standing in for a
    person without a OneID becomes its keyed pseudonym; needs the key macro on `con`)."""
    columns = list(target.columns)
    if raw and not target.raw:
        columns += [("phone", "e164"), ("email", "email")]
    select = ", ".join(
        f"{sql.replace('$segment', '$segment_name')} AS c{i}" for i, (_, sql) in enumerate(columns)
    )
    base = identifiers_sql(members)
    if mask_persons:
        from shopql.warehouse.guard import MASKS, PERSON

        base = f"SELECT * REPLACE ({MASKS[PERSON].format(c='one_id')} AS one_id) FROM ({base})"
    params = {"segment_name": segment} if "$segment" in select else {}
    rows = con.execute(
        f"SELECT {select} FROM ({base}) WHERE {NEEDS[target.key]} ORDER BY one_id", params
    ).fetchall()
    total = con.execute(f"SELECT count(*) FROM ({base})").fetchone()
    skipped = (int(total[0]) if total else 0) - len(rows)
    return [h for h, _ in columns], [list(r) for r in rows], skipped


def write_file(
    path: Path, header: list[str], rows: list[list[Any]], *, private: bool = True
) -> None:
    """CSV (UTF-8 with BOM, so Excel and the Chinese tools read it) or .xlsx by extension. Text
    never becomes a formula: .xlsx cells are typed as text, .csv cells a spreadsheet would run
    get a leading apostrophe (``warehouse.export.spreadsheet_text``). Owner-only when `private`
    (``warehouse.export.output_file``)."""
    from shopql.warehouse.export import output_file

    path.expanduser().parent.mkdir(parents=True, exist_ok=True)
    with output_file(
        path, private=private
    ) as tmp:  # never written through a link planted at `path`
        if path.suffix.lower() == ".xlsx":
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet("audience")
            sheet.append(header)
            for row in rows:
                sheet.append([_xlsx_cell(sheet, _cell(v)) for v in row])
            book.save(tmp)
            return
        import csv

        from shopql.warehouse.export import spreadsheet_text

        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows([[spreadsheet_text(_cell(v)) for v in row] for row in rows])


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """A text value as a text cell (openpyxl makes a formula of text starting with ``=``)."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _cell(value: Any) -> Any:
    from decimal import Decimal

    if value is None:
        return ""
    return float(value) if isinstance(value, Decimal) else value


def export_segment(
    con: duckdb.DuckDBPyConnection,
    members: str,
    segment: str,
    target_key: str,
    out: Path,
    *,
    role: str,
    roles: dict[str, dict[str, Any]],
    raw: bool = False,
    key_secret: str | None = None,
) -> dict[str, Any]:
    """Write the export file; returns what was written (the caller audits it). For a role
    that may not see personal data the one_ids are masked like the guard masks person keys,
    with the workspace's `key_secret` (a one-off secret when none is given: never raw)."""
    target = TARGETS[target_key]
    check_allowed(target, roles, role, raw)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise ShopqlError(f"cannot write {out.name}", "give --out a .csv or .xlsx file name")
    started = time.perf_counter()
    mask = roles.get(role, {}).get("pii") != "show"
    if mask:
        import secrets

        from shopql.warehouse.guard import key_macro_sql

        con.execute(key_macro_sql(key_secret or secrets.token_hex(32)))
    header, rows, skipped = export_rows(con, members, target, segment, raw, mask)
    # contacts, even hashed (an 11-digit phone's hash is found by trying them all), and person
    # keys as stored are personal data: such a file is its owner's only
    private = target.contacts or target.raw or raw or not mask
    write_file(out, header, rows, private=private)
    return {
        "segment": segment,
        "target": target.key,
        "title": target.title,
        "out": str(out),
        "rows": len(rows),
        "skipped_no_identifier": skipped,
        "columns": header,
        "raw_contacts": bool(raw or target.raw),
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def audit_export(
    con: duckdb.DuckDBPyConnection,
    role: str,
    doc: dict[str, Any],
    sql: str,
    outcome: str = "ok",
) -> None:
    """Record an export (or a refused one) in `_audit`: target, file, row count."""
    question = (
        f"segment export {doc['segment']} --target {doc['target']} --out {doc['out']}"
        f"{' (raw contacts)' if doc.get('raw_contacts') else ''}"
    )
    con.execute(
        "INSERT INTO _audit VALUES (current_localtimestamp(), ?, 'segment export', ?, ?, ?, ?, ?)",
        [role, question, sql, doc.get("rows", 0), doc.get("duration_ms"), outcome],
    )
