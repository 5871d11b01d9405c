"""The README's command examples name things that exist in the reference data."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_grant_role_example_names_a_reference_school() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    schools = json.loads((ROOT / "fixtures" / "reference" / "schools.json").read_text("utf-8"))
    acronyms = {school["acronym"] for school in schools}
    named = re.findall(r"grant_role .*?--school (\S+)", readme)
    assert named, "the README shows how to give a school's staff their role"
    assert [name for name in named if name not in acronyms] == []
