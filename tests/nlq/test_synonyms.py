"""The same word means the same metric in every language (issue 11): each metric's English and
Chinese synonyms, asked alone, resolve to the same metric — that metric itself, or (for a metric
that is another one over a fixed window) that metric with the window as the time range."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopql.config import load_settings
from shopql.nlq.linking import has_chinese
from shopql.nlq.offline import NoData, Understanding, parse, understand
from shopql.nlq.reading import without_suggestions
from shopql.nlq.session import Workspace

# a metric defined as another over a fixed window: its synonym is that metric over that window
WINDOWED = {"units_last_30d": ("units", 30)}


def test_every_metric_synonym_resolves_to_its_metric_in_both_languages(shop: Path) -> None:
    ws = Workspace(load_settings(shop), today=dt.date(2025, 6, 30))
    misread: list[str] = []
    languages: dict[str, set[bool]] = {}
    # a synonym listed twice (about 280 of 5,000) is read once: the same words on the same
    # workspace read the same (each listing is still checked against its own metric)
    read: dict[str, Understanding | NoData] = {}
    try:
        # the catalog's own metrics: reading a question may add one made when first asked (a
        # ratio, a percentile, the time since the last one), not checked here
        for name, metric in list(ws.catalog.metrics.items()):
            base, days = WINDOWED.get(name, (name, None))
            for synonym in metric.synonyms or []:
                if synonym not in read:
                    try:
                        with without_suggestions():  # a refusal's are never read here
                            read[synonym] = understand(synonym, ws)
                    except NoData as e:
                        read[synonym] = e
                u = read[synonym]
                if isinstance(u, NoData):  # no events/stock/reviews here: refused, but read as it
                    if parse(synonym, ws).metrics != [base]:
                        misread.append(f"{synonym!r} ({name}) -> refused as no data")
                    languages.setdefault(name, set()).add(has_chinese(synonym))
                    continue
                tr = u.query.time_range
                span = (tr.end - tr.start).days if tr and tr.start and tr.end else None
                if u.query.metrics != (base,) or u.ignored or (days and span != days):
                    misread.append(f"{synonym!r} ({name}) -> {u.query.metrics}, {span} days")
                languages.setdefault(name, set()).add(has_chinese(synonym))
    finally:
        ws.close()
    assert misread == []
    # every metric can be named in both languages
    assert [n for n, langs in languages.items() if langs != {True, False}] == []
    assert len(languages) >= 30
