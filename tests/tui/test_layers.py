"""The alert engine and the board's data layer stay headless: no click, rich or textual."""

from __future__ import annotations

import subprocess
import sys

HEADLESS = [
    "shopql.insights.alerts",
    "shopql.insights.alert_rules",
    "shopql.insights.alert_notify",
    "shopql.insights.alert_state",
    "shopql.tui.data",
    "shopql.tui.panels",
]


def test_alert_and_board_data_modules_import_no_ui_library() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in HEADLESS)
        + "print(sorted(m for m in ('click', 'rich', 'textual') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
