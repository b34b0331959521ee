"""Letter templates: checked in Jinja's sandbox when saved (syntax errors with their line, anything
reaching outside the letter's fields refused), and the seeded defaults pass the same checks."""

from __future__ import annotations

import pytest

from app.errors import ValidationFailed
from app.letters import letter_templates
from app.letters.render import sample_fields
from app.letters.sandbox import check_template, render_letter
from app.letters.schemas import TemplateEdit

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ reference.__class__ }}",
    "{{ adult['__class__'] }}",
    "{% if false %}{{ ''.__class__.__mro__[1].__subclasses__() }}{% endif %}",  # in a branch never rendered
    "{{ reference | attr('__class__') }}",
    "{{ lipsum.__globals__ }}",
    "{{ allegations.append(1) }}",  # the context is immutable
    "{{ cycler.__init__.__globals__.os }}",
    "{{ config }}",
    "{{ request }}",
]


class TestCheck:
    @pytest.mark.parametrize("source", ESCAPES)
    def test_reaching_outside_the_sandbox_is_refused(self, source):
        problem = check_template(f"Dear {{{{ recipient.name }}}},\n\n{source}\n")
        assert problem is not None
        assert problem.line == 3

    def test_a_syntax_error_is_refused_with_its_line_and_reason(self):
        problem = check_template("Dear {{ recipient.name }},\n\n{% if training_needs %}\nTraining.\n")
        assert problem is not None and problem.line == 4
        assert "endif" in problem.reason
        assert str(problem).startswith("Line 4: ")

    def test_an_unknown_field_is_refused_even_where_no_sample_reaches(self):
        problem = check_template("{{ reference }}\n{% if false %}\n{{ children }}\n{% endif %}")
        assert (problem.line, problem.reason) == (3, '"children" is not a letter field')

    def test_a_template_that_fails_to_render_is_refused_with_the_line(self):
        problem = check_template("{{ reference }}\n{{ adult.date_of_birth }}")
        assert problem.line == 2 and "date_of_birth" in problem.reason
        problem = check_template("{{ reference }}\n\n{{ allegations[1].outcome }}")
        assert problem.line == 3 and "one allegation" in problem.reason  # the smaller sample letter

    def test_a_runaway_template_is_refused_quickly(self):
        import time

        started = time.monotonic()
        assert "longer than" in str(check_template("{% for i in range(99999) %}{{ reference }}{% endfor %}"))
        slow = check_template(
            "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
        )
        assert "takes too long" in str(slow)
        assert "too large" in str(check_template("{{ reference * 100000 }}"))
        assert "too large" in str(check_template("{{ 9 ** 9999999 }}"))
        assert time.monotonic() - started < 10

    def test_loops_and_set_variables_are_fine(self):
        source = (
            "{% set n = allegations | length %}"
            "{% for a in allegations %}{{ loop.index }}/{{ n }} {{ a.outcome }}\n{% endfor %}"
        )
        assert check_template(source) is None
        assert render_letter(source, sample_fields(full=True)) == "1/2 Substantiated\n2/2 Malicious\n"


class TestSave:
    def test_the_seeded_templates_pass_the_checks(self, db):
        for kind in ("employer_outcome", "adult"):
            template = letter_templates.get(db, kind)
            assert check_template(template.body) is None, kind

    def test_a_refused_template_changes_nothing(self, db, factory):
        admin = factory.actor("admin")
        template = letter_templates.get(db, "employer_outcome")
        before = template.body
        with pytest.raises(ValidationFailed) as exc:
            letter_templates.save(
                db, admin, template, TemplateEdit(name="X", body="Hello\n{{ ''.__class__ }}")
            )
        assert exc.value.errors["body"].startswith("The template cannot be saved. Line 2: ")
        assert template.body == before and template.name == "Outcome letter to the employer"

    def test_a_good_template_is_saved_and_audited(self, db, factory):
        from sqlalchemy import select

        from app.audit.models import AuditEvent

        admin = factory.actor("admin")
        template = letter_templates.get(db, "adult")
        assert letter_templates.save(
            db, admin, template, TemplateEdit(name="To the adult", body="Dear {{ adult.name }},\n")
        )
        assert template.updated_by == f"{admin.user.name} <{admin.user.email}>"
        event = db.scalars(select(AuditEvent).where(AuditEvent.object_type == "letter_template")).one()
        assert set(event.details["changes"]) == {"name", "body_sha256"}
        assert not letter_templates.save(
            db, admin, template, TemplateEdit(name="To the adult", body="Dear {{ adult.name }},\n")
        )
