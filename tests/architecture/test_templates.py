"""The rules of the templates (conventions.md, issue 11), checked on the source itself:

- templates name routes (`url_for('cases.show', case_id=...)`), never write an app path, and the
  Python code redirects to `path_for(request, name, ...)`, never to a literal path;
- every form's CSRF token comes from the one macro, components/fields.html's csrf_field();
- the Jinja environment's globals and filters are set in app/web.py only, never as a side effect
  of importing some other module (a template then depends on which routes happened to load);
- every template compiles (syntax, filters and tests that exist).
"""

from __future__ import annotations

import ast
import re

from app.config import ROOT
from app.letters.delivery import portal_url
from app.main import create_app
from app.web import templates
from tests.architecture.test_layout import calls, modules

TEMPLATES = ROOT / "templates"
#: A quoted string that starts an app path: href="/cases", "href": "/admin", '/edit'. Not "//"
#: (protocol-relative) and not "/>" (a self-closing SVG element after an attribute).
WRITTEN_PATH = re.compile(r"""["']/(?![/>])""")
CSRF_INPUT = re.compile(r"""name=["']csrf_token["']""")
#: The one place the CSRF input is written.
CSRF_MACRO = "components/fields.html"
REDIRECTS = {"redirect", "RedirectResponse"}


def template_files() -> list[str]:
    return sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))


def test_templates_name_routes_instead_of_writing_paths():
    found = []
    for name in template_files():
        for n, line in enumerate((TEMPLATES / name).read_text(encoding="utf-8").splitlines(), start=1):
            if WRITTEN_PATH.search(line):
                found.append(f"templates/{name}:{n}: {line.strip()[:100]}")
    assert not found, "use url_for('route.name', ...) instead of a written path:\n" + "\n".join(found)


def _literal_path(node: ast.expr) -> bool:
    """A string literal or f-string (alone or at the left of a +) that starts with "/"."""
    if isinstance(node, ast.BinOp):
        return _literal_path(node.left)
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.startswith("/")
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        return isinstance(first, ast.Constant) and str(first.value).startswith("/")
    return False


def test_python_redirects_name_routes():
    found = []
    for name, tree in modules():
        for call in calls(tree):
            f = call.func
            called = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if called in REDIRECTS and any(
                _literal_path(a) for a in [*call.args, *(k.value for k in call.keywords)]
            ):
                found.append(f"{name}:{call.lineno}: {ast.unparse(call)[:100]}")
    assert not found, "redirect to path_for(request, 'route.name', ...), not a written path:\n" + "\n".join(
        found
    )


def test_the_csrf_input_is_written_once_in_its_macro():
    found = [
        f"templates/{name}"
        for name in template_files()
        if name != CSRF_MACRO and CSRF_INPUT.search((TEMPLATES / name).read_text(encoding="utf-8"))
    ]
    assert not found, (
        "use {{ csrf_field() }} from components/fields.html (imported with context):\n" + "\n".join(found)
    )
    assert len(CSRF_INPUT.findall((TEMPLATES / CSRF_MACRO).read_text(encoding="utf-8"))) == 1


def _names_environment(node: ast.AST) -> bool:
    text = ast.unparse(node)
    return text.startswith("templates.env.") and any(
        f".{part}" in text for part in ("globals", "filters", "tests")
    )


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


def test_every_template_compiles():
    for name in template_files():
        templates.env.get_template(name)  # raises TemplateSyntaxError, or on an unknown filter or test


def test_the_letter_email_links_to_the_portal_route():
    """The e-mail is written without a request, so it keeps its path; this pins it to the route."""
    assert portal_url().endswith(create_app().url_path_for("portal.letters"))
