"""The question's path (issue 11, "Shape"): answer.py enters the offline engine by its two doors
only, and what the engines read from the catalog is read from it (the seller's own attributes are
the shops entity's dimensions, not a list) — checked on the Olist session workspace."""

from __future__ import annotations

import ast
from pathlib import Path

import shopql.nlq
from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql

NLQ = Path(shopql.nlq.__file__).parent


def test_answer_enters_the_offline_engine_only_to_understand() -> None:
    """Refusal types and suggestions come from their own modules (nlq.shared, nlq.reading), not
    through offline.py's re-exports: the answer path calls the parser, nothing else of it."""
    tree = ast.parse((NLQ / "answer.py").read_text(encoding="utf-8"))
    taken = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "shopql.nlq.offline"
        for alias in node.names
    }
    assert taken == {"understand", "close_questions"}


def test_a_shop_attribute_ranking_splits_orders_per_line_like_the_sellers(
    olist: Workspace,
) -> None:
    """Olist orders can have several sellers: a ranking by the shop's name (an attribute the
    catalog declares on the shops entity only) credits each line to its own seller, as the
    ranking of sellers does — not the whole order to one of them (189,542.35 for the first)."""
    gold = sql(
        olist,
        "SELECT s.name, sum(i.paid_amount) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id JOIN shops s ON s.shop_id = i.shop_id "
        "WHERE o.paid_at >= '2017-01-01' AND o.paid_at < '2018-01-01' "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 3",
    )
    assert [round(float(v), 2) for _, v in gold] == [181113.92, 159389.13, 127497.87]
    got = rows(olist, "sales by shop name in 2017 top 3")
    assert [(n, round(float(v), 2)) for n, v in got] == [(n, round(float(v), 2)) for n, v in gold]
    sellers = rows(olist, "top 3 sellers by sales in 2017")
    assert [round(float(v), 2) for _, v in sellers] == [round(float(v), 2) for _, v in gold]
    # platform is on the shops model too, but orders have it: not a seller attribute
    by_platform = rows(olist, "sales by platform in 2017")
    (whole,) = sql(
        olist,
        "SELECT sum(paid_amount) FROM orders "
        "WHERE paid_at >= '2017-01-01' AND paid_at < '2018-01-01'",
    )[0]
    assert [(p, round(float(v), 2)) for p, v in by_platform] == [("olist", round(float(whole), 2))]


def _nlq_imports() -> dict[str, set[str]]:
    """Module -> the nlq modules it imports, at the top or inside a function."""
    names = {p.stem for p in NLQ.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for name in names:
        tree = ast.parse((NLQ / f"{name}.py").read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith("shopql.nlq."):
                    found.add(node.module.split(".")[2])
                elif node.module == "shopql.nlq":
                    found |= {a.name for a in node.names if a.name in names}
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[2] for a in node.names if a.name.count(".") >= 2
                          and a.name.startswith("shopql.nlq.")}  # fmt: skip
        graph[name] = found & names - {name}
    return graph


def test_the_question_path_imports_in_one_direction() -> None:
    """No nlq module imports (even lazily, inside a function) one that imports it back: the
    engine modules (answer, offline, compound …) form no circle, so a question's trip is one
    straight path — parse → semantic query → compiler → guard → run → answer."""
    graph = _nlq_imports()
    assert "offline" in graph["answer"] and "shared" in graph["compound"]  # the scan sees them
    on_path: list[str] = []
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(name: str) -> None:
        if name in on_path:
            cycles.append([*on_path[on_path.index(name) :], name])
            return
        if name in done:
            return
        on_path.append(name)
        for other in sorted(graph[name]):
            visit(other)
        on_path.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
    assert cycles == []
    # the engines lead to the shared modules, never back to the entry point
    assert not any("answer" in graph[m] for m in ("offline", "compound", "pipeline", "comparisons"))
