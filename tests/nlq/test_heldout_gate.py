"""Issue 11's floor: on heldout16 the offline engine answers at least 85 % correctly and at most
3 % wrongly, over its three datasets together (the issue's targets are 90 % and 2 %; the README's
table has the measured figures). heldout16 is the set the engine first met those targets on; it
was unseen then, and has stayed unopened since, but every later session's fixes were measured on
it, so it is a floor against losing ground, not a measure of new questions: the newer held-out
sets (heldout17 … heldout32) score far lower, and the README reports them, not this gate.

The set is scored on the test workspaces (the whole Olist, a sixth of Online Retail, the demo of
seed 7), not on the full workspaces the README's figures come from, so the counts here differ a
little from those. A failure prints the counts only, never a question: the held-out set stays
unseen by whoever fixes the engine."""

from __future__ import annotations

from pathlib import Path

from shopql.config import load_settings
from shopql.nlq.eval import evaluate

HERE = Path(__file__).resolve().parent

GATED = "heldout16.yaml"
MIN_CORRECT = 0.85
MAX_WRONG = 0.03


def test_newest_heldout_set_meets_the_floor(
    olist_workspace: Path, retail_workspace: Path, nlq_demo_workspace: Path
) -> None:
    workspaces = {"olist": olist_workspace, "retail": retail_workspace, "demo": nlq_demo_workspace}
    totals = {"correct": 0, "refused": 0, "wrong": 0}
    per_dataset = {}
    for dataset, workspace in workspaces.items():
        report = evaluate(load_settings(workspace), HERE / GATED, ["offline"], dataset)
        outcomes = report.outcomes("offline")
        per_dataset[dataset] = outcomes
        for key in totals:
            totals[key] += outcomes[key]
    n = sum(totals.values())
    assert n >= 150, per_dataset
    summary = f"{GATED}: {totals} of {n} ({per_dataset})"
    assert totals["correct"] >= MIN_CORRECT * n, summary
    assert totals["wrong"] <= MAX_WRONG * n, summary
