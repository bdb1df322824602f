"""Taobao UserBehavior: a headerless file recognised by its first line, unix times -> events."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import FIXTURES, SHARED
from tests.sync.helpers import by_kind, rows, scalar, sync

SAMPLE = SHARED / "data" / "taobao_userbehavior" / "UserBehavior_head.csv.gz"
SHANGHAI = timedelta(hours=8)  # no daylight saving: unix seconds + 8 h is Asia/Shanghai


def _expected() -> tuple[int, Counter[str], int, int]:
    kinds: Counter[str] = Counter()
    users: set[str] = set()
    outside = 0
    with gzip.open(SAMPLE, "rt", encoding="utf-8", newline="") as f:
        for user, _item, _cat, behaviour, ts in csv.reader(f):
            kinds[behaviour] += 1
            users.add(user)
            day = (datetime.fromtimestamp(int(ts), UTC) + SHANGHAI).date().isoformat()
            outside += not ("2017-11-25" <= day <= "2017-12-03")
    return sum(kinds.values()), kinds, len(users), outside


def test_real_sample_becomes_events(workspace: Path) -> None:
    report = sync(workspace, SAMPLE)
    total, kinds, users, outside = _expected()
    assert (total, users) == (84_475, 815)
    assert kinds == {"pv": 75_872, "cart": 4_497, "fav": 2_356, "buy": 1_750}
    assert by_kind(report) == {"events": (84_475, 84_475, 0)}
    assert dict(rows(workspace, "select event_type, count(*) from events group by 1")) == {
        "view": 75_872,
        "cart": 4_497,
        "fav": 2_356,
        "buy": 1_750,
    }
    assert scalar(workspace, "select count(distinct user_key) from events") == 815
    assert scalar(workspace, "select count(distinct platform) from events") == 1
    assert outside == 35
    assert (
        scalar(
            workspace,
            """select count(*) from events
               where event_time::DATE not between DATE '2017-11-25' AND DATE '2017-12-03'""",
        )
        == outside
    )
    # a forced re-sync of the same events does not count them twice
    sync(workspace, SAMPLE, force=True)
    assert scalar(workspace, "select count(*) from events") == 84_475


def test_headerless_fixture_quarantines_bad_lines(workspace: Path) -> None:
    report = sync(workspace, FIXTURES / "taobao_userbehavior" / "UserBehavior_sample.csv")
    assert by_kind(report) == {"events": (6, 4, 2)}
    assert rows(workspace, "select line, reason from _quarantine order by line") == [
        (4, "unknown behavior_type click (add it to the mapping or report it)"),
        (5, "not a unix time in column timestamp: not-a-time"),
    ]
    assert rows(
        workspace,
        """select event_time::VARCHAR, user_key, event_type, product_id, category
           from events order by event_time limit 2""",
    ) == [
        ("2017-11-25 01:21:10", "userbehavior:1001", "view", "userbehavior:2001", "3001"),
        ("2017-11-25 01:21:40", "userbehavior:1001", "cart", "userbehavior:2001", "3001"),
    ]
