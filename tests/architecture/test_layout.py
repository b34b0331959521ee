"""The rules of the code's layout (conventions.md, issue 11), checked on the source itself so that a
change breaking one fails here rather than in review:

- every query is in a domain's repository.py;
- routes never commit, roll back, flush or refresh (the transaction owner and try_step do);
- the audit is written by services, never by routes, and names its object with ObjectType;
- nothing reads the system clock except app/clock.py;
- no module imports another of the app's inside a function (a sign of a cycle being dodged),
  except the command-line modules, which import what a command needs when it runs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from app.config import ROOT

APP = ROOT / "app"
#: Modules that are the database layer itself.
DATABASE_LAYER = {"app/db.py", "app/sqlite.py", "app/backups/service.py"}
#: The mapper events that keep a person's candidate keys, and a case's list sort keys, in step
#: with the rows, and that refuse a change to a destroyed case, run inside the ORM's flush, on
#: its connection: they are part of the model, not queries a service makes.
MAPPER_EVENTS = {"app/people/models.py", "app/cases/models.py", "app/retention/models.py"}
SQL_BUILDERS = {"select", "update", "delete", "insert", "text", "exists", "union_all", "literal_column"}
SESSION_METHODS = {"execute", "scalar", "scalars", "query", "get", "merge"}
SESSION_NAMES = {"session", "db", "s", "conn", "connection"}
TRANSACTION_METHODS = {"commit", "rollback", "flush", "refresh"}


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(APP.rglob("*.py")):
        yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def is_routes(name: str) -> bool:
    stem = Path(name).stem
    return stem == "routes" or stem.endswith("_routes") or stem == "api"


def calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def sqlalchemy_builders(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names |= {a.asname or a.name for a in node.names if a.name in SQL_BUILDERS}
    return names


def query_calls(name: str, tree: ast.Module) -> list[str]:
    found = []
    builders = sqlalchemy_builders(tree)
    if Path(name).name == "models.py":
        builders.discard("text")  # server defaults (server_default=text("..."))
    for call in calls(tree):
        f = call.func
        if isinstance(f, ast.Name) and f.id in builders:
            found.append(f"{name}:{call.lineno}: {f.id}(...)")
        elif (
            isinstance(f, ast.Attribute)
            and f.attr in SESSION_METHODS
            and isinstance(f.value, ast.Name)
            and f.value.id in SESSION_NAMES
        ):
            found.append(f"{name}:{call.lineno}: {f.value.id}.{f.attr}(...)")
    return found


def test_every_query_is_in_a_repository():
    problems = []
    for name, tree in modules():
        if Path(name).name == "repository.py" or name in DATABASE_LAYER | MAPPER_EVENTS:
            continue
        problems += query_calls(name, tree)
    assert problems == [], "queries outside repository.py:\n" + "\n".join(problems)


def test_routes_never_commit_roll_back_flush_or_refresh():
    problems = [
        f"{name}:{call.lineno}: .{call.func.attr}()"
        for name, tree in modules()
        if is_routes(name)
        for call in calls(tree)
        if isinstance(call.func, ast.Attribute) and call.func.attr in TRANSACTION_METHODS
    ]
    assert problems == [], "\n".join(problems)


def _record_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for call in calls(tree):
        f = call.func
        if (isinstance(f, ast.Name) and f.id == "record") or (
            isinstance(f, ast.Attribute) and f.attr == "record" and getattr(f.value, "id", "") == "audit"
        ):
            yield call


def test_the_audit_is_written_by_services_not_routes():
    problems = [
        f"{name}:{call.lineno}" for name, tree in modules() if is_routes(name) for call in _record_calls(tree)
    ]
    assert problems == [], "record() called in a route module:\n" + "\n".join(problems)


def test_every_audit_record_names_its_object_with_the_enum():
    problems = []
    for name, tree in modules():
        for call in _record_calls(tree):
            kind = (
                call.args[3]
                if len(call.args) > 3
                else next((k.value for k in call.keywords if k.arg == "object_type"), None)
            )
            target = kind.func if isinstance(kind, ast.Call) else kind  # ObjectType.of_reference(slug)
            if not (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "ObjectType"
            ):
                problems.append(f"{name}:{call.lineno}: {ast.unparse(kind) if kind else 'no object type'}")
    assert problems == [], "record() without an ObjectType member:\n" + "\n".join(problems)


def test_nothing_reads_the_system_clock_but_app_clock():
    problems = []
    for name, tree in modules():
        if name == "app/clock.py":
            continue
        for call in calls(tree):
            f = call.func
            if (
                isinstance(f, ast.Attribute)
                and f.attr in ("today", "now", "utcnow")
                and isinstance(f.value, ast.Name)
                and f.value.id in ("date", "datetime")
            ):
                problems.append(f"{name}:{call.lineno}: {f.value.id}.{f.attr}()")
    assert problems == [], "use app.clock (today, now, utcnow):\n" + "\n".join(problems)


def test_no_module_imports_the_app_inside_a_function():
    problems = []
    for name, tree in modules():
        if Path(name).name == "cli.py":
            continue
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("app"):
                    problems.append(f"{name}:{node.lineno}: from {node.module} import ... in {func.name}()")
                elif isinstance(node, ast.Import) and any(a.name.startswith("app") for a in node.names):
                    problems.append(f"{name}:{node.lineno}: import in {func.name}()")
    assert problems == [], "\n".join(problems)


def test_the_checks_find_what_they_look_for():
    """Each check above, on a small module that breaks it."""
    bad = ast.parse(
        "from sqlalchemy import select\n"
        "def page(db):\n"
        "    from app.cases import service\n"
        "    db.rollback()\n"
        "    record(db, None, Verb.VIEWED, 'case')\n"
        "    return db.scalars(select(X)), date.today()\n"
    )
    assert len(query_calls("x.py", bad)) == 2
    assert len(list(_record_calls(bad))) == 1
    assert any(isinstance(n, ast.ImportFrom) and n.module == "app.cases" for n in ast.walk(bad))


def test_cases_are_only_read_through_the_scope():
    """A query that loads cases (select(Case ...)) exists in one place: visible_cases. Anything
    else that reads cases starts from it; a bare select of case ids (reference checks, the audit
    search's case number) returns no case content."""
    problems = []
    for name, tree in modules():
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef) or (name, func.name) == (
                "app/cases/repository.py",
                "visible_cases",
            ):
                continue
            for call in calls(func):
                if (
                    isinstance(call.func, ast.Name)
                    and call.func.id == "select"
                    and call.args
                    and isinstance(call.args[0], ast.Name)
                    and call.args[0].id == "Case"
                ):
                    problems.append(f"{name}:{call.lineno}: select(Case ...) in {func.name}()")
    assert problems == [], "\n".join(problems)


#: The file names every domain folder draws from (conventions.md 1): a domain has the ones it needs.
DOMAIN_FILES = {"models", "schemas", "repository", "service", "routes", "presenters", "cli"}
#: Modules that a domain split out by responsibility, named for what they do (docs/layout.md).
RESPONSIBILITIES = {
    "audit": {"fields", "wording"},
    "auth": {"dependencies", "passwords", "throttle", "tokens", "totp"},
    "cases": {"api", "api_schemas", "chronology", "filters", "history", "outcomes", "rules", "vocabulary"},
    "corrections": {"plausibility"},
    "documents": {"content", "limits", "scanning", "storage"},
    "imports": {"areas", "conclusion", "csvfile", "validation", "writer"},
    "incidents": {"sharing"},
    "intake": {"limits"},
    "meetings": {"invitations", "minutes", "plans"},
    "letters": {
        "delivery",
        "docx",
        "fields",
        "letter_templates",
        "letterhead",
        "pdf",
        "portal",
        "render",
        "sandbox",
    },
    "organisations": {"contacts"},
    "outbox": {"smtp", "worker"},
    "people": {"keys", "matching", "names"},
    "subject_access": {"bundle"},
    "reports": {"charts", "export", "expressions", "figures", "further", "limits", "periods", "suppression"},
    "retention": {"destruction"},
}
#: Test folders that are about the whole application rather than one domain.
CROSS_CUTTING_TESTS = {"architecture", "assets", "browser", "security"}
#: Template folders for pages that belong to no domain's data.
SHARED_TEMPLATES = {"components", "errors"}


def domains() -> set[str]:
    return {p.name for p in APP.iterdir() if (p / "__init__.py").exists()}


def test_every_domain_folder_uses_the_same_file_names():
    problems = []
    for domain in sorted(domains()):
        for path in sorted((APP / domain).glob("*.py")):
            stem = path.stem
            if stem == "__init__" or stem in DOMAIN_FILES or stem.endswith("_routes"):
                continue
            if stem not in RESPONSIBILITIES.get(domain, set()):
                problems.append(f"app/{domain}/{path.name}")
    assert problems == [], (
        "modules outside the domain file set; name them models/schemas/repository/"
        "service/routes/presenters (or *_routes), or list the responsibility in "
        "RESPONSIBILITIES and docs/layout.md:\n" + "\n".join(problems)
    )
    stale = {
        f"{d}/{m}"
        for d, names in RESPONSIBILITIES.items()
        for m in names
        if not (APP / d / f"{m}.py").exists()
    }
    assert stale == set(), f"listed but missing: {sorted(stale)}"


def test_templates_and_tests_mirror_the_domains():
    known = domains()
    templates = {p.name for p in (ROOT / "templates").iterdir() if p.is_dir()} - SHARED_TEMPLATES
    tests = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert templates - known == set(), "template folders without a domain of that name"
    assert tests - known - CROSS_CUTTING_TESTS == set(), "test folders without a domain of that name"


def test_modules_stay_small():
    """conventions.md 1: a module that outgrows its responsibility is split (about 400 lines at most)."""
    long = [
        f"{name}: {len(tree.body)} statements, {n} lines"
        for name, tree in modules()
        if (n := len((ROOT / name).read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert long == [], "\n".join(long)
