"""Bands of one number, a row each (issue 11, session 34): "8月的订单里买1件、2件、3件及以上的各有
多少单", "今年花了不到100、100到500、500以上的买家各有几个", "11月的发票按件数分 1到10件 11到50件
50件以上 各多少张", "今年客户按花费分段 不到500、500到2000、2000以上各占几成".

A list of two or more bands of one number (不到N, N以下, A到B, N, N及以上, N以上, 超过N), said
with a word of each (各, 分别, 分布, 分段, each), is one query per band: the question read with one
threshold in place of the list (`_probe`: the engine's own reading of the number — the catalog's
thresholds, e.g. order_units, person_spend), that threshold's filter replaced by each band's
bounds in turn (`extra["bands"]`), one row per band in the order said, labelled as said (<100,
100-500, >500, 3+); with a share word, each band's figure over the figure without any band (the
same period and other filters). Every band is a filter the compiler already builds, so a band
composes with the period, the other filters and a breakdown as one threshold does.

Bands in order and apart: "A到B" holds both ends; "N以上" after a band holding N starts above it
(100到500、500以上: >500), else at N; "不到N" stops below N. Bands out of order, overlapping or
the list read as anything but one threshold of one number are not answered here (the question goes
its usual way).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

_NUM = r"(?:R\$|\$|£|¥|￥)?\s*(\d+(?:\.\d+)?)"  # a currency sign before it: not kept
_UNIT = r"(?:件|单|张|次|个|块钱|块|元|英镑|镑|雷亚尔|分|星|天|笔)"
# one band: (pattern, kind) — tried in this order at each place of the list
_ITEMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(?:不到|少于|低于|小于|不足)\s*{_NUM}\s*({_UNIT}?)"), "lt"),
    (re.compile(rf"{_NUM}\s*({_UNIT}?)\s*(?:到|至|~|～|-)\s*{_NUM}\s*({_UNIT}?)"), "range"),
    (re.compile(rf"{_NUM}\s*({_UNIT}?)\s*(?:以下|以内)"), "le"),
    (re.compile(rf"{_NUM}\s*({_UNIT}?)\s*(?:及以上|或以上|以上含|\+)"), "ge"),
    (re.compile(rf"(?:超过|多于|高于|大于)\s*{_NUM}\s*({_UNIT}?)"), "gt"),
    (re.compile(rf"{_NUM}\s*({_UNIT}?)\s*以上"), "above"),
    (re.compile(rf"{_NUM}\s*({_UNIT})(?![\d到至~～-])"), "eq"),
]
# the same in English: "under 100, 100-500 and over 500", "1 item, 2 items, 3 or more"
_EN_UNIT = r"(?:\s+(?:items?|units?|pieces?|orders?|invoices?|days?|stars?))"
_ITEMS += [
    (re.compile(rf"(?:under|below|less\s+than|fewer\s+than)\s+{_NUM}({_EN_UNIT}?)", re.I), "lt"),
    (re.compile(rf"{_NUM}({_EN_UNIT}?)\s*(?:-|–|to)\s*{_NUM}({_EN_UNIT}?)", re.I), "range"),
    (re.compile(rf"{_NUM}({_EN_UNIT}?)\s+(?:or\s+more|and\s+(?:up|above|over))", re.I), "ge"),
    (re.compile(rf"{_NUM}\s+or\s+more({_EN_UNIT}?)", re.I), "ge"),
    (re.compile(rf"(?:over|above|more\s+than)\s+{_NUM}({_EN_UNIT}?)", re.I), "gt"),
    (re.compile(rf"{_NUM}({_EN_UNIT})\b(?!\s*(?:-|–|to|or\s+more))", re.I), "eq"),
]
_SEP = re.compile(r"\s*(?:、|，|,\s*(?:and|or)?|/|和|或|及|\band\b|\bor\b|\s)\s*", re.I)
# a band list is said as one: each band its own figure
_EACH = re.compile(
    r"各|分别|分布|分段|分档|\beach\b|\brespectively\b|\bbreakdown\b|\bdistribution\b|\bbuckets?\b"
    r"|\bbands?\b",
    re.I,
)
# "按件数分", "按花费分段": the number the bands are of, said before the list
_BY = re.compile(r"按\s*(\S{1,4}?)\s*(?:分段|分档|分层|分组|分成|分)\s*")
_SHARE = re.compile(r"各?\s*占\s*(?:几成|多少|百分之几|多大比例|比例)|占比|比例")
_DIST = re.compile(r"(?:的\s*)?分布")
# "每单件数分布", "订单金额分布": the number a distribution is of, said with it
_DIST_OF = re.compile(
    r"(?:每单|每张|一单|订单|发票|客户|买家)?\s*的?\s*(?:件数|金额|数量|花费|消费|单数)?\s*的?\s*分布"
)


class Band:
    """One band: lower and upper bounds (None: open), whether each is held, the label."""

    def __init__(self, lo: float | None, lo_in: bool, hi: float | None, hi_in: bool, label: str):
        self.lo, self.lo_in, self.hi, self.hi_in, self.label = lo, lo_in, hi, hi_in, label

    def filters(self, dimension: str) -> list[Any]:
        from shopql.catalog.semantic import Filter

        if self.lo is not None and self.lo == self.hi:
            return [Filter(dimension, "=", (_n(self.lo),))]
        out = []
        if self.lo is not None:
            out.append(Filter(dimension, ">=" if self.lo_in else ">", (_n(self.lo),)))
        if self.hi is not None:
            out.append(Filter(dimension, "<=" if self.hi_in else "<", (_n(self.hi),)))
        return out


def _n(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _s(x: float) -> str:
    return str(_n(x))


def find(question: str) -> tuple[tuple[int, int], list[Band], str] | None:
    """The band list said in `question`: its span, the bands in order, and the unit said."""
    if not _EACH.search(question):
        return None
    best: tuple[tuple[int, int], list[tuple[str, tuple[str, ...]]]] | None = None
    for start in range(len(question)):
        items: list[tuple[str, tuple[str, ...]]] = []
        pos, end = start, start
        while True:
            hit = None
            for pattern, kind in _ITEMS:
                m = pattern.match(question, pos)
                if m:
                    hit = (kind, m)
                    break
            if hit is None:
                break
            kind, m = hit
            items.append((kind, m.groups()))
            end = m.end()
            sep = _SEP.match(question, end)
            pos = sep.end() if sep else end
            if not sep:
                break
        if len(items) >= 2:
            best = ((start, end), items)
            break
    if best is None:
        return None
    (start, end), items = best
    if all(kind == "eq" for kind, _ in items):
        return None  # "1星和5星的评价各几条": values each, not bands (the usual way)
    if start > 0 and question[start - 1].isdigit():
        return None
    said = [u for _, g in items for u in g[1::2] if u]
    if len({u.strip().lower().rstrip("s") for u in said}) > 1:
        return None  # two units: not one number's bands
    bands = _bands(items)
    if bands is None:
        return None
    return (start, end), bands, said[-1] if said else ""


def _bands(items: list[tuple[str, tuple[str, ...]]]) -> list[Band] | None:
    """The bands in order, each starting where the one before stops; None when they overlap or
    are out of order."""
    out: list[Band] = []
    for i, (kind, g) in enumerate(items):
        prev = out[-1] if out else None
        if kind == "lt":
            if i:
                return None  # "不到N" only opens the list
            out.append(Band(None, False, float(g[0]), False, f"<{_s(float(g[0]))}"))
        elif kind == "le":
            if i:
                return None
            out.append(Band(None, False, float(g[0]), True, f"<={_s(float(g[0]))}"))
        elif kind == "range":
            a, b = float(g[0]), float(g[2])
            if b < a:
                return None
            lo_in = not (prev is not None and prev.hi == a and prev.hi_in)
            out.append(Band(a, lo_in, b, True, f"{_s(a)}-{_s(b)}"))
        elif kind == "eq":
            a = float(g[0])
            out.append(Band(a, True, a, True, _s(a)))
        elif kind == "ge":
            a = float(g[0])
            out.append(Band(a, True, None, False, f"{_s(a)}+"))
        elif kind == "gt":
            a = float(g[0])
            out.append(Band(a, False, None, False, f">{_s(a)}"))
        else:  # "N以上": above N when the band before holds N, else from N
            a = float(g[0])
            held = prev is not None and prev.hi == a and prev.hi_in
            out.append(Band(a, not held, None, False, f">{_s(a)}" if held else f"{_s(a)}+"))
    for below, above in zip(out, out[1:], strict=False):
        if below.hi is None or above.lo is None:
            return None  # an open band in the middle
        if above.lo < below.hi or (above.lo == below.hi and below.hi_in and above.lo_in):
            return None  # overlapping
    return out


def understand(question: str, ws: Any, understand_: Any) -> Any | None:
    """The understanding of a band list (see the module), or None when the question says none
    or its threshold is not read as one filter of one number."""
    from shopql.nlq.linking import has_chinese, normalise

    text = normalise(question)
    found = find(text)
    if found is None:
        return None
    (start, end), bands, unit = found
    share = bool(_SHARE.search(text[end:]))
    probe_at = (
        max(b.lo or 0 for b in bands if b.lo is not None)
        if any(b.lo is not None for b in bands)
        else None
    )
    if probe_at is None:
        return None
    before, after = text[:start], text[end:]
    by = _BY.search(before)
    said_by = ""
    if by is not None:  # "按件数分": the number named before the list
        said_by = by.group(1)
        before = before[: by.start()] + before[by.end() :]
    after = _SHARE.sub("", after) if share else after
    after = re.sub(r"各\s*自?|分别|,?\s*\b(?:each|respectively)\b", "", after, flags=re.I)
    before = re.sub(r"\b(?:each|respectively)\b", "", before, flags=re.I)
    before = _DIST.sub("", before)
    n = _s(probe_at)
    tried = []
    for lead in [said_by] if said_by else ["", ""]:
        tried.append(f"{before}{lead}{n}{unit}及以上{after}")
    tried.append(f"{before}{said_by}{n}{unit}以上{after}")
    if not has_chinese(text):  # "… 1 item, 2 items, 3 or more": at least the last's number
        tried.insert(0, f"{before.rstrip()} at least {n}{unit or ''} {after.lstrip()}")
    if _DIST_OF.search(text[:start]):  # "上个月每单件数分布 1件 2件 …": the number said with it
        bare = _DIST_OF.sub(" ", text[:start])
        tried.append(f"{bare}{said_by}{n}{unit}及以上{after}")
    from shopql.nlq.shared import NotUnderstood

    for probe in dict.fromkeys(tried):
        try:
            u = understand_(probe, ws)
        except NotUnderstood:
            continue
        if u.ignored:
            continue
        q = u.query
        if q.population is not None or q.compare or q.of_groups or q.having or q.extra:
            continue
        if q.limit is not None or q.order_by:  # a ranking of the bands' groups: not this
            continue
        hits = [
            f
            for f in q.filters
            if f.op in (">=", ">") and len(f.values) == 1 and float(f.values[0]) == probe_at
        ]
        if len(hits) != 1 or len(q.metrics) != 1:
            continue
        d = hits[0].dimension
        if any(f.dimension == d for f in q.filters if f is not hits[0]):
            continue
        if d not in getattr(ws.catalog, "thresholds", {}):
            continue
        rest = tuple(f for f in q.filters if f is not hits[0])
        entity = getattr(ws.catalog.thresholds[d], "entity", None)
        if q.metrics == ("orders",) and entity == "order" and "paid_orders" in ws.catalog.metrics:
            # "买1件、2件、3件及以上的订单各有多少单": what was bought in each order — the orders
            # paid in the period (an order never paid bought nothing), not every order placed
            q = replace(q, metrics=("paid_orders",))
        spec = {
            "dimension": d,
            "bands": [[b.lo, b.lo_in, b.hi, b.hi_in, b.label] for b in bands],
            "share": share,
        }
        query = replace(q, filters=rest, extra={"bands": spec})
        if q.metrics == ("paid_orders",) and u.query.metrics == ("orders",):
            u.recognised = [*u.recognised, "counted: the orders paid in the period (支付订单数)"]
        said = ", ".join(b.label for b in bands)
        u.query = query
        probe_line = f"{d} {hits[0].op} {n}"  # the probe's threshold: each band's instead
        u.recognised = [
            *(r for r in u.recognised if not (str(r).startswith("filter") and probe_line in r)),
            f"bands of {d}: {said} — one row each, in the order said"
            + (
                f"; {q.metrics[0]}__share = each band's {q.metrics[0]} / all with a {d}"
                if share
                else ""
            ),
        ]
        return u
    return None


def run(ws: Any, question: str, q: Any, compile_: Any) -> tuple[list[Any], list[str], Any]:
    """One row per band (in the order said), the band's label first; with a share, each band's
    figure over the figure without any band."""
    from shopql.nlq.shared import ResultSet

    spec = q.extra["bands"]
    d, m = spec["dimension"], q.metrics[0]
    plain = replace(q, extra={})
    parts = []
    first = None
    for i, (lo, lo_in, hi, hi_in, label) in enumerate(spec["bands"]):
        band = Band(lo, lo_in, hi, hi_in, label)
        compiled = compile_(replace(plain, filters=(*plain.filters, *band.filters(d))))
        first = first or compiled
        safe = label.replace("'", "''")
        parts.append(f"SELECT {i} AS _i, '{safe}' AS band, b{i}.* FROM ({compiled.sql}) AS b{i}")
    sql = " UNION ALL ".join(parts)
    cols = [c for c in first.columns] if first is not None else [m]
    shown = ", ".join(f"banded.{c}" for c in cols)
    if spec.get("share"):
        from shopql.catalog.semantic import Filter

        # of the rows that have the number ("发货用了不到1天…各占几成": the orders shipped), as
        # a condition's share is (comparisons._condition_share)
        whole = compile_(replace(plain, filters=(*plain.filters, Filter(d, "is not null"))))
        keys = [c for c in cols if c != m]  # with a breakdown: of each group's whole
        on = " AND ".join(f"banded.{k} IS NOT DISTINCT FROM whole.{k}" for k in keys)
        join = (
            f"JOIN ({whole.sql}) AS whole ON {on}" if keys else f"CROSS JOIN ({whole.sql}) AS whole"
        )
        order = "".join(f", banded.{k}" for k in keys)
        sql = (
            f"SELECT banded.band, {shown}, round(CAST(banded.{m} AS DOUBLE) / "
            f"nullif(whole.{m}, 0), 4) AS {m}__share FROM ({sql}) AS banded {join} "
            f"ORDER BY banded._i{order}"
        )
    else:
        order = "".join(f", banded.{c}" for c in cols if c != m)  # a breakdown's rows in order
        sql = f"SELECT banded.band, {shown} FROM ({sql}) AS banded ORDER BY banded._i{order}"
    result = ws.run(sql, question, source="ask:offline")
    out = ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)
    return [out], [], first
