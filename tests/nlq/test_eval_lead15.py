"""The scorer reads a ranking from the outermost query's LIMIT (parsed, not searched as text):
a LIMIT inside a subquery or a CTE, or the word inside a string, does not make a breakdown a
ranking (where a group with no key would lose its pass)."""

from __future__ import annotations

from shopql.nlq.eval import _cut


def test_the_outermost_limit_is_the_cut() -> None:
    assert _cut("SELECT state, count(*) FROM orders GROUP BY 1 ORDER BY 2 DESC LIMIT 5") == 5
    assert _cut("WITH t AS (SELECT 1 AS x LIMIT 3) SELECT x FROM t") is None
    assert _cut("SELECT * FROM (SELECT x FROM t ORDER BY x LIMIT 3) s ORDER BY x") is None
    assert _cut("SELECT 'LIMIT 3' AS note FROM t") is None
    assert _cut("SELECT x FROM t UNION ALL SELECT y FROM u LIMIT 2") == 2
    assert _cut("not sql at all (") is None
