"""The README's layout table says what the tree and the import contracts say.

The table is where a maintainer learns which app owns what and what it may import; it goes
stale silently when a module moves, so its paths and its order are checked against the tree
and against the layers `lint-imports` enforces (pyproject.toml).
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A path a row names in backticks: `db_roles.py`, `roster_import/`, `settings/base.py`.
NAMED_PATH = re.compile(r"`([\w./]+(?:\.py|/))`")


def _layout_rows() -> list[tuple[str, str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows.append((cells[0].strip("`"), cells[1], cells[2]))
    return rows


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [
        contract
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract["id"] == "layers"
    ]
    return [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]


def test_every_path_the_table_names_exists() -> None:
    for path, owns, _ in _layout_rows():
        base = ROOT / path
        assert base.exists(), f"the layout table names {path}, which is not in the tree"
        for named in NAMED_PATH.findall(owns):
            found = (base / named).exists() or any(base.rglob(named.rstrip("/")))
            assert found, f"the layout row of {path} names {named}, not found under it"


def test_the_apps_are_listed_in_the_order_of_the_import_layers() -> None:
    apps = [path.rstrip("/") for path, _, _ in _layout_rows() if path.endswith("/")]
    layered = [name for layer in _layers() for name in layer]
    assert [app for app in apps if app in layered] == layered


def test_every_top_level_package_is_an_app_of_the_table_or_a_tool() -> None:
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    layered = {name for layer in _layers() for name in layer}
    assert packages - {"tests", "benchmarks"} == layered


def test_each_app_says_what_it_may_import_as_the_layers_allow() -> None:
    rows = {path.rstrip("/"): may_import for path, _, may_import in _layout_rows()}
    layers = _layers()
    for position, layer in enumerate(layers):
        below = layers[position + 1 :]
        for app in layer:
            said = rows[app]
            if not below:
                assert said.startswith("nothing"), f"{app} is at the bottom: {said}"
            elif position == 0:
                assert said == "everything below", f"{app} is at the top: {said}"
            else:
                first_below = below[0][0]
                assert first_below in said, f"{app} may import {first_below} and below: {said}"


def test_every_app_package_says_what_it_owns() -> None:
    for layer in _layers():
        for app in layer:
            tree = ast.parse((ROOT / app / "__init__.py").read_text(encoding="utf-8"))
            assert ast.get_docstring(tree), f"{app}/__init__.py has no docstring"
