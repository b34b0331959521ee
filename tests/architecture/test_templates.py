"""The rules of the templates (conventions.md, issue 11), checked on the source itself:

- the Jinja environment's globals and filters are set in app/web.py only, never as a side effect
  of importing some other module (a template then depends on which routes happened to load);
"""

from __future__ import annotations

import ast

from app.config import ROOT

from tests.architecture.test_layout import modules

TEMPLATES = ROOT / "templates"


def _names_environment(node: ast.AST) -> bool:
    text = ast.unparse(node)
    return text.startswith("templates.env.") and any(f".{part}" in text for part in ("globals", "filters", "tests"))


def _changes_environment(node: ast.AST) -> bool:
    """`templates.env.globals[...] = ...`, `templates.env.filters.update(...)` and the like."""
    if isinstance(node, (ast.Assign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(_names_environment(t) for t in targets)
    return isinstance(node, ast.Call) and _names_environment(node.func)


def test_only_app_web_sets_template_globals_and_filters():
    found = []
    for name, tree in modules():
        if name == "app/web.py":
            continue
        for node in ast.walk(tree):
            if _changes_environment(node):
                found.append(f"{name}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert not found, "template globals or filters set outside app/web.py:\n" + "\n".join(found)
