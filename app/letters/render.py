"""Letter templates in Jinja's sandbox, rendered in a child process with hard limits (sandbox.py).

A template sees one plain dict of the case's letter fields (strings, numbers, booleans, lists and
dicts of those: never an ORM object), through an immutable sandbox with StrictUndefined. It is
checked when an administrator saves it, so a broken template is refused then, with the line and
the reason, rather than when a LADO needs the letter:
- it must parse;
- it may use only the letter fields (also in branches the samples would not reach);
- it may not name attributes or keys starting with "_" (the usual way out of a sandbox);
- it must render against two sample letters (everything present; the least a letter has).
Every render, at save time or when a letter is made, has the same limits: RENDER_SECONDS, memory
and MAX_OUTPUT_CHARS (app/letters/sandbox.py). A template can still fail for one case (a branch
no sample reaches): making that letter is then refused with TemplateFailed, naming the line.

The output is plain text: paragraphs separated by a blank line; a line starting "## " is a
heading. Pages, the PDF and the Word file escape it; nothing in it is ever trusted as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.errors import DomainError

#: Longest letter a template may produce (a runaway loop is refused on save).
MAX_OUTPUT_CHARS = 100_000

#: Every field a template may use, with what it holds (shown to the administrator).
FIELDS: dict[str, str] = {
    "reference": "The case reference, e.g. LADO-2026-0042",
    "date": "The letter's date, e.g. 3 March 2026",
    "council_name": "The council's name",
    "kind": '"employer_outcome" or "adult"',
    "adult": "The adult concerned: adult.name, adult.role (their job title)",
    "employer": "The employer: employer.name",
    "recipient": "Who the letter is addressed to: recipient.name, recipient.role",
    "allegations": (
        "A list; each has number, description, category, outcome, outcome_code, definition, outcome_on"
    ),
    "outcome_codes": 'The outcomes reached, e.g. ["substantiated", "malicious"]',
    "training_needs": "true if training needs were identified",
    "disposals": "The employer's actions recorded, as a list of labels",
    "harm_test_met": "true if the harm test was met (threshold met at initial consideration)",
    "referrals": "A list; each has regulator, regulator_code, status, made_on, reference",
    "dbs_referral": "The DBS referral (status, made_on, reference), or nothing",
    "lado": "The LADO: lado.name, lado.email, lado.phone",
    "replaces": 'For a correction, e.g. "version 1 of 3 March 2026"; otherwise empty',
}

#: How long rendering one letter may take: the sample letters at save time, and every real letter.
RENDER_SECONDS = 2.0
#: Largest repetition (`"x" * n`) and power (`n ** m`) a template may compute.
MAX_REPEAT = 10_000


class LetterSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, also guarding the two operators that can exhaust memory in one
    step (`*` on strings and lists, `**`), which the standard sandbox lets through."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError("the power is too large for a letter")
        if operator == "*":
            sizes = [x for x in (left, right) if isinstance(x, int) and not isinstance(x, bool)]
            if any(isinstance(x, (str, list, tuple)) for x in (left, right)) and any(
                abs(n) > MAX_REPEAT for n in sizes
            ):
                raise SecurityError("the repetition is too large for a letter")
        return super().call_binop(context, operator, left, right)


_env = LetterSandbox(
    undefined=StrictUndefined,
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
# Only what letters need: no lipsum (unbounded text), cycler or joiner.
_env.globals = {"range": _env.globals["range"], "dict": dict, "namespace": _env.globals["namespace"]}


class TooLong(Exception):
    pass


def compile_template(source: str):
    return _env.from_string(source)


def render_capped(template, fields: dict[str, Any]) -> str:
    """Render, stopping as soon as the letter passes MAX_OUTPUT_CHARS."""
    out: list[str] = []
    size = 0
    for chunk in template.generate(fields):
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise TooLong()
        out.append(chunk)
    return "".join(out)


@dataclass
class TemplateProblem:
    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}" if self.line else self.reason


class TemplateFailed(DomainError):
    """The template could not make this letter (it passed the save-time check, but fails for
    this case). Nothing was changed; an administrator must correct the template."""

    status_code = 422
    title = "The letter cannot be made from its template"

    def __init__(self, problem: TemplateProblem, *, index: int = 0, undefined: bool = False) -> None:
        super().__init__(
            f"The letter cannot be made from its template. {problem}. Ask an administrator to "
            "correct the letter template; nothing was changed."
        )
        self.problem, self.index, self.undefined = problem, index, undefined


def template_line(exc: BaseException) -> int | None:
    """The template line of an error raised while rendering (Jinja rewrites its traceback so
    frames of the template carry the template's line numbers)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


#: Names Jinja itself provides inside templates.
_JINJA_NAMES = frozenset({"loop", "caller", "varargs", "kwargs", "super", "self"})
_OUTSIDE = "templates may not reach outside the letter's fields"


def _static_problems(ast: nodes.Template) -> list[TemplateProblem]:
    """Problems found by reading the template, including branches no sample reaches."""
    problems: list[TemplateProblem] = []
    assigned = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    known = set(FIELDS) | assigned | _JINJA_NAMES | set(_env.globals)
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Name, nodes.Const, nodes.Filter)):
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            problems.append(TemplateProblem(node.lineno, f'"{node.attr}" is not a letter field: {_OUTSIDE}'))
        elif (
            isinstance(node, nodes.Const)
            and isinstance(node.value, str)
            and (node.value.startswith("_") or "__" in node.value)
        ):
            problems.append(TemplateProblem(node.lineno, f'"{node.value}" is not a letter field: {_OUTSIDE}'))
        elif isinstance(node, nodes.Filter) and node.name == "attr":
            problems.append(TemplateProblem(node.lineno, f'the "attr" filter is not allowed: {_OUTSIDE}'))
        elif isinstance(node, nodes.Name) and node.ctx == "load" and node.name not in known:
            problems.append(TemplateProblem(node.lineno, f'"{node.name}" is not a letter field'))
    return sorted(problems, key=lambda p: p.line or 0)


def _normalise(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def problem_of(exc: Exception) -> TemplateProblem:
    """What went wrong while rendering, as the administrator is told it."""
    if isinstance(exc, TooLong):
        return TemplateProblem(None, f"The letter would be longer than {MAX_OUTPUT_CHARS:,} characters")
    if isinstance(exc, SecurityError):
        return TemplateProblem(template_line(exc), f"not allowed in a letter template ({exc})")
    if isinstance(exc, UndefinedError):
        return TemplateProblem(template_line(exc), str(exc))
    return TemplateProblem(template_line(exc), f"{type(exc).__name__}: {exc}")


SAMPLE_DESCRIPTIONS = {
    True: "two allegations, referrals, training needs, a correction",
    False: "one allegation, no referrals, no training needs, no job title",
}


def sample_fields(*, full: bool) -> dict[str, Any]:
    """Synthetic letters the checker renders: one with every optional part present, one with the
    least a letter can have (one allegation, no referrals, no training needs, empty details)."""
    allegation = {
        "number": 1,
        "description": "Pushed a pupil against a wall in the corridor.",
        "category": "Physical",
        "outcome": "Substantiated",
        "outcome_code": "substantiated",
        "definition": "There is sufficient evidence to prove the allegation.",
        "outcome_on": "2 March 2026",
    }
    base: dict[str, Any] = {
        "reference": "LADO-2026-0001",
        "date": "3 March 2026",
        "council_name": "Example Borough Council",
        "kind": "employer_outcome",
        "adult": {"name": "Sam Sample", "role": ""},
        "employer": {"name": "Sample Primary School"},
        "recipient": {"name": "Jo Liaison", "role": ""},
        "allegations": [allegation],
        "outcome_codes": ["substantiated"],
        "training_needs": False,
        "disposals": [],
        "harm_test_met": False,
        "referrals": [],
        "dbs_referral": None,
        "lado": {"name": "Lee Officer", "email": "lado@example.test", "phone": ""},
        "replaces": "",
    }
    if not full:
        return base
    referral = {
        "regulator": "Disclosure and Barring Service (DBS)",
        "regulator_code": "dbs",
        "status": "Made",
        "made_on": "4 March 2026",
        "reference": "DBS-123",
    }
    return {
        **base,
        "adult": {"name": "Sam Sample", "role": "Teaching assistant"},
        "recipient": {"name": "Jo Liaison", "role": "HR manager"},
        "allegations": [
            allegation,
            {
                **allegation,
                "number": 2,
                "outcome": "Malicious",
                "outcome_code": "malicious",
                "definition": "There is sufficient evidence to disprove the allegation and "
                "there has been a deliberate act to deceive.",
            },
        ],
        "outcome_codes": ["substantiated", "malicious"],
        "training_needs": True,
        "disposals": ["Written warning"],
        "harm_test_met": True,
        "referrals": [
            referral,
            {
                **referral,
                "regulator": "Teaching Regulation Agency (TRA)",
                "regulator_code": "tra",
                "status": "Recommended",
                "made_on": "",
                "reference": "",
            },
        ],
        "dbs_referral": referral,
        "lado": {"name": "Lee Officer", "email": "lado@example.test", "phone": "01632 960001"},
        "replaces": "version 1 of 2 March 2026",
    }


def paragraphs(text: str) -> list[dict[str, Any]]:
    """The letter as blocks for pages, the PDF and Word: {"heading": str} or {"lines": [str, ...]}."""
    blocks: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = chunk.split("\n")
        while lines and lines[0].startswith("## "):
            blocks.append({"heading": lines.pop(0)[3:].strip()})
        if lines:
            blocks.append({"lines": lines})
    return blocks


def static_problem(source: str) -> TemplateProblem | None:
    """The first problem found without running the template (empty, unreadable, or using what a
    letter may not), or None."""
    if not source.strip():
        return TemplateProblem(None, "The template is empty")
    try:
        tree = _env.parse(source)
    except TemplateSyntaxError as exc:
        return TemplateProblem(exc.lineno, exc.message or "the template cannot be read")
    problems = _static_problems(tree)
    return problems[0] if problems else None


def normalise(text: str) -> str:
    return _normalise(text)
