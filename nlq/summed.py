"""A dimension's word followed by a together word ("两个仓加起来", "all states combined"): the
values to add up, not a breakdown — shared by the ordinary engine (offline) and the people path
(people), which may not import each other."""

from __future__ import annotations

import re
from typing import Any

_SUMMED_AFTER = re.compile(
    r"^\s*(?:都\s*)?(?:加\s*起来|合\s*起来|加在一起|加一起|合在一起|合计|汇总|一起算)"
    r"|^\s*(?:all\s+)?(?:combined|taken\s+together|put\s+together|together|altogether)\b"
)
# "两个仓一共 …", "所有平台总共 …": the values counted or all said before the dimension's word,
# then an in-all word — the figure over all of them
_ALL_OF_THEM = re.compile(r"(?:[两二三四五六七八九十]|\d+)\s*个?\s*$|(?:所有|全部)\s*的?\s*$")
_IN_ALL_AFTER = re.compile(r"^\s*(?:一共|总共|共计|总计)")
# (each period of a time grain is no each of the dimension: "今年每个月所有平台加起来退款金额")
_GRAIN_AFTER = (
    r"(?!\s*(?:天|日|周|星期|礼拜|月|季|年|小时)|\s*(?:day|week|month|quarter|year|hour)s?\b)"
)
# an each word said anywhere ("分别", "respectively"), or right before the dimension's word ("各仓
# 加起来", "each platform combined"): each one is asked. Not "per" said of another noun: "avg units
# per order across all platforms combined" is one figure over the platforms (per order is the
# measure's own)
_EACH_WORD = re.compile(r"分别|\brespectively\b")
_EACH_START = re.compile(r"各|每一?个|\b(?:each|per|every)\b")  # inside the mention: "各平台"
_EACH_BEFORE = re.compile(
    rf"(?:各{_GRAIN_AFTER}|每一?个{_GRAIN_AFTER}|\b(?:each|per|every){_GRAIN_AFTER})\s*(?:of\s+(?:the\s+)?)?$"
)


def dimension_summed(p: Any) -> None:
    """ "(两个仓加起来)", "所有平台合计": a dimension's word followed by a together word names the
    values to add up, not a breakdown: the dimension is dropped from the breakdown (the figure
    is over all its values together). Not where each one is asked too ("各仓加起来" is read as
    said: each)."""
    if not p.dimensions or _EACH_WORD.search(p.links.text):
        return
    if p.top_n and p.modifiers.get("share"):
        return  # "营业额前三的州加起来占全国多少": the top three together, their share
    # "sales across all states combined": the plural said is the measure of the states counted
    said = [m for m in p.links.mentions if m.term.kind in ("dimension", "measure")]
    for m in said:
        if m.term.target not in p.dimensions:
            continue
        after = p.links.text[m.end :]
        counted = _ALL_OF_THEM.search(p.links.text[: m.start]) and _IN_ALL_AFTER.match(after)
        if not _SUMMED_AFTER.match(after) and not counted:  # "两个仓一共": all of them, in all
            continue
        if _EACH_BEFORE.search(p.links.text[: m.start]) or _EACH_START.match(m.phrase):
            continue  # "各仓加起来" is read as said: each
        if any(o.term.target == m.term.target and o is not m for o in said):
            continue
        p.dimensions = [d for d in p.dimensions if d != m.term.target]
