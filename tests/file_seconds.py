"""Write tests/file_seconds.json (the seconds each test file took, which tests/conftest.py orders
the files by) from a JUnit XML report of a whole run:

    python -m pytest --junitxml=run.xml && python tests/file_seconds.py run.xml

A session workspace is built by the first file that asks for it, so that file's figure includes
the build; the order only needs to be roughly right."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent / "file_seconds.json"


def file_seconds(report: Path) -> dict[str, float]:
    """Seconds per test file (setup, call and teardown of its tests), from a JUnit XML report."""
    total: dict[str, float] = defaultdict(float)
    for case in ET.parse(report).getroot().iter("testcase"):
        module = case.get("classname", "")
        parts = module.split(".")
        # classname is the dotted module, then the class if any: tests.nlq.test_x[.TestY]
        while parts and not parts[-1].startswith("test_"):
            parts.pop()
        if not parts:
            continue
        total["/".join(parts) + ".py"] += float(case.get("time") or 0)
    return {k: round(v, 1) for k, v in sorted(total.items(), key=lambda kv: -kv[1])}


if __name__ == "__main__":
    OUT.write_text(json.dumps(file_seconds(Path(sys.argv[1])), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
