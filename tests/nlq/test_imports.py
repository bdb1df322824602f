"""The question engine has one straight path: no module of nlq/ imports (at the top or inside a
function) a module that imports it back, directly or through others (issue 11, "Shape")."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import shopql.nlq

NLQ = Path(shopql.nlq.__file__).parent


def import_edges() -> dict[str, set[str]]:
    """module → the nlq modules it imports anywhere in its source."""
    modules = {p.stem for p in NLQ.glob("*.py") if p.stem != "__init__"}
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for module in modules:
        tree = ast.parse((NLQ / f"{module}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "shopql.nlq":
                    names = [a.name for a in node.names]
                elif node.module.startswith("shopql.nlq."):
                    names = [node.module.split(".")[2]]
            elif isinstance(node, ast.Import):
                names = [a.name.split(".")[2] for a in node.names if a.name.count(".") >= 2
                         and a.name.startswith("shopql.nlq.")]  # fmt: skip
            edges[module] |= {n for n in names if n in modules and n != module}
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_nlq_imports_have_no_cycle() -> None:
    edges = import_edges()
    assert {"answer", "offline", "compound", "pipeline", "shared"} <= set(edges)
    assert find_cycle(edges) is None, " → ".join(find_cycle(edges) or [])
    # the shared types depend on no engine; both engines reach the pipeline, not each other
    assert edges["shared"] == set()
    assert "answer" not in edges["compound"] | edges["offline"] | edges["pipeline"]


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_old_import_paths_still_work_in_a_fresh_interpreter() -> None:
    code = (
        "from shopql.nlq.offline import NotUnderstood, Unsure, Understanding\n"
        "from shopql.nlq.answer import Answer, ResultSet, with_share, definitions\n"
        "from shopql.nlq import shared\n"
        "assert NotUnderstood is shared.NotUnderstood and Answer is shared.Answer\n"
        "assert Understanding is shared.Understanding and ResultSet is shared.ResultSet\n"
        "import sys; print('openai' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
