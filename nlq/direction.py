"""Which way a compared figure went, said in words beside the answer (issue 11): "7月销售额环比6月
跌了多少" asks one way, but the answer of a period comparison is the signed change — whichever
way the figure moved. A reader of the bare magnitude may take the asked direction for the real
one, so the answer says it: "支付金额 涨了 1.5 %（1,028,017.84 → 1,043,137.76）— 问的是跌，实际是涨"."""

from __future__ import annotations

import re
from typing import Any

from shopql.nlq.linking import has_chinese

_DOWN = re.compile(
    r"跌|降|下滑|减少|少了|缩水|\b(?:fell|fall|falls|fallen|drop|drops|dropped|declined?|declines"
    r"|decreased?|decreases|down|shrank|shrunk)\b",
    re.IGNORECASE,
)
_UP = re.compile(
    r"涨|增长|增加|上升|提高|提升|多了|\b(?:rose|rise|rises|risen|grew|grow|grows|grown"
    r"|increased?|increases|up|gained?)\b",
    re.IGNORECASE,
)
# either way asked ("涨了还是跌了", "涨跌", "up or down"): no one direction to set right
_EITHER = re.compile(r"涨跌|增减|升降|涨落|还是|\bor\b|\beither\b", re.IGNORECASE)


def direction_notes(question: str, answer: Any, catalog: Any = None) -> list[str]:
    """Notes saying which way each compared figure of a one-row period comparison went, when the
    question names a direction (up or down); the asked way set right when the figure went the
    other. [] for anything else."""
    down, up = _DOWN.search(question), _UP.search(question)
    if not (down or up) or not answer.results:
        return []
    main = answer.main
    if len(main.rows) != 1:
        return []
    columns = list(main.columns)
    row = main.rows[0]
    zh = has_chinese(question)
    either = bool(_EITHER.search(question)) or bool(down and up)
    asked = None if either else ("down" if down else "up")
    yoy = getattr(getattr(answer, "query", None), "compare", None) == "year_over_year"
    than = (
        ("同比" if yoy else "比上期")
        if zh
        else ("on the same period a year before" if yoy else "on the period before")
    )
    notes = []
    for i, c in enumerate(columns):
        if not c.endswith("__change") or f"{c[: -len('__change')]}__previous" not in columns:
            continue
        name = c[: -len("__change")]
        if name not in columns:
            continue
        now, before, change = (
            row[columns.index(name)],
            row[columns.index(name + "__previous")],
            row[i],
        )
        if change is None or now is None or before is None:
            continue
        label = _label(catalog, name, zh)
        went = "up" if change > 0 else "down" if change < 0 else "flat"
        pct = f"{abs(float(change)) * 100:.1f} %"
        if zh:
            verb = {"up": f"涨了 {pct}", "down": f"跌了 {pct}", "flat": "持平"}[went]
            note = f"{label} {than}{verb}（{_fmt(before)} → {_fmt(now)}）"
            if asked and went != asked:
                note += f"——问的是{'跌' if asked == 'down' else '涨'}，实际是{'涨' if went == 'up' else '跌' if went == 'down' else '持平'}"
        else:
            verb = {"up": f"rose {pct}", "down": f"fell {pct}", "flat": "held level"}[went]
            note = f"{label} {verb} {than} ({_fmt(before)} → {_fmt(now)})"
            if asked and went != asked:
                note += f" — the question said it went {asked}; it " + (
                    "rose" if went == "up" else "fell" if went == "down" else "held level"
                )
        notes.append(note)
    return notes


def _fmt(v: Any) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f"{f:,.0f}" if f == int(f) else f"{f:,.2f}"


def _label(catalog: Any, name: str, zh: bool) -> str:
    metric = getattr(catalog, "metrics", {}).get(name) if catalog is not None else None
    label = getattr(metric, "label", None) or {}
    return (label.get("zh") if zh else label.get("en")) or label.get("en") or name
