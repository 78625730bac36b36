"""Imports flow one way: core ← catalog ← cooperatives ← fulfilment ← gie ← shop. An app imports only
apps to its left, core imports none, and no app reaches into gie by a string lookup (`gies__…`): gie
registers what the others need when it loads."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "catalog", "cooperatives", "fulfilment", "gie", "shop"]
CHECKED = LAYERS[:-1]  # shop, the project, may import every app
# Related names gie gives Partner (`gies`, `gie_profile`) and lookups through them.
GIE_LOOKUP = re.compile(r"\bgies__|\bgie_|^gies$")


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported_apps(tree) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import, at module level or inside functions."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def _names_and_strings(tree) -> list[tuple[int, str]]:
    """String constants, keyword-argument names and attribute names: where an ORM lookup can hide."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.keyword) and node.arg:
            found.append((node.value.lineno, node.arg))
        elif isinstance(node, ast.Attribute):
            found.append((node.lineno, node.attr))
    return found


def test_no_app_imports_an_app_to_its_right():
    offending = []
    for app in CHECKED:
        rank = LAYERS.index(app)
        for path, tree in _modules(app):
            for line, package in _imported_apps(tree):
                if package in LAYERS and package != app and (app == "core" or LAYERS.index(package) > rank):
                    offending.append(f"{path.relative_to(ROOT)}:{line} imports {package}")

    assert offending == []


def test_no_app_left_of_gie_looks_gie_up_by_string():
    offending = [
        f"{path.relative_to(ROOT)}:{line} {text!r}"
        for app in ("catalog", "cooperatives", "fulfilment")
        for path, tree in _modules(app)
        for line, text in _names_and_strings(tree)
        if GIE_LOOKUP.search(text)
    ]

    assert offending == []
