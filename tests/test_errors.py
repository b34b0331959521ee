"""The GOV.UK wording of Pydantic's errors (app/errors.py), on small schemas and on the forms the
tester found wanting: per kind of field, "Enter ..." and "Select ..." for an empty one, the four
cases of a date, what a number must be, how long text may be, a row named by its position."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

import pytest
from pydantic import BaseModel, Field, field_validator
from starlette.datastructures import FormData

from app import clock
from app.cases.schemas import CaseCreate, ChildIn, Conclusion, InitialConsideration
from app.errors import CHOICE, ValidationFailed, yes_if
from app.forms import email_address, not_future, read_form, validate


class Row(BaseModel):
    item_name: ClassVar[str] = "Child"

    initials: str = Field(min_length=1, max_length=10, title="Initials")
    age: int | None = Field(default=None, ge=0, le=17, title="Age")


class Sample(BaseModel):
    name: str = Field(min_length=1, max_length=20, title="Referrer's name")
    decision: Literal["nfa", "threshold_met"] = Field(title="Decision")
    how: Literal["phone", "email"] = Field(title="How it was received")
    category: Annotated[str, CHOICE] = Field(min_length=1, title="Primary category")
    owner: Annotated[int | None, CHOICE] = Field(default=None, ge=1, title="Owner")
    limbs: list[str] = Field(min_length=1, title="Limb of the harm test")
    received_on: date = Field(title="Date received")
    training: Annotated[bool, yes_if("training needs were identified")] = Field(title="Training needs")
    count: int = Field(ge=1, title="Number of attendees")
    months: int = Field(ge=1, le=24, title="Conclusion target in months")
    score: float = Field(default=0, title="Score")
    email: str = Field(default="", title="E-mail address")
    children: list[Row] = Field(default_factory=list, max_length=3, title="Children")

    _received = field_validator("received_on")(not_future)
    _email = field_validator("email")(lambda v: email_address(v) if v else v)


VALID = {
    "name": "Dana",
    "decision": "nfa",
    "how": "phone",
    "category": "physical",
    "limbs": ["harmed"],
    "received_on": "2026-01-05",
    "training": True,
    "count": 2,
    "months": 12,
}


def errors_of(model: type[BaseModel], data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as exc:
        validate(model, data)
    return exc.value.errors


def message(field: str, value: Any = None, **form: str) -> str:
    """The message for `field` of Sample given `value`, or given the browser's `form` fields."""
    data = {**VALID, field: value} if not form else read_form_like({**VALID, **form})
    return errors_of(Sample, data)[field]


def read_form_like(data: dict[str, Any]) -> dict[str, Any]:
    """`data` as read_form gives it from a browser's form (date parts joined)."""
    out = read_form(FormData([(k, v) for k, v in data.items() if isinstance(v, str)]))
    return {**{k: v for k, v in data.items() if not isinstance(v, str)}, **out}


def date_parts(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


class TestWording:
    def test_left_empty_each_kind_of_field_says_enter_or_select(self):
        blank = {"name": "", "decision": "", "how": "", "category": "", "limbs": [], "training": None}
        assert errors_of(Sample, {**VALID, **blank, "received_on": None}) == {
            "name": "Enter the referrer's name",
            "decision": "Select the decision",
            "how": "Select how it was received",
            "category": "Select the primary category",
            "limbs": "Select at least one limb of the harm test",
            "received_on": "Enter the date received",
            "training": "Select yes if training needs were identified",
        }

    def test_fields_not_sent_read_the_same_as_empty_ones(self):
        errors = errors_of(Sample, {"count": 1, "months": 1})
        assert errors["received_on"] == "Enter the date received"
        assert errors["training"] == "Select yes if training needs were identified"
        assert errors["decision"] == "Select the decision"

    def test_the_four_date_cases(self):
        def date_message(day: str, month: str, year: str) -> str:
            return message("received_on", **date_parts("received_on", day, month, year))

        assert date_message("", "", "") == "Enter the date received"
        assert date_message("31", "", "2026") == "Date received must include a month"
        assert date_message("", "", "2026") == "Date received must include a day and month"
        assert date_message("31", "2", "2026") == "Date received must be a real date"
        assert date_message("x", "2", "2026") == "Date received must be a real date"
        assert message("received_on", "2026-02-30") == "Date received must be a real date"  # the API's way
        future = clock.today().replace(year=clock.today().year + 1)
        assert date_message(str(future.day), str(future.month), str(future.year)) == (
            "Date received must be today or in the past"
        )

    def test_numbers_say_what_they_must_be(self):
        assert message("months", "30") == "Conclusion target in months must be between 1 and 24"
        assert message("count", "0") == "Number of attendees must be 1 or more"
        assert message("count", "lots") == "Number of attendees must be a whole number"
        assert message("count", "1.5") == "Number of attendees must be a whole number"
        assert message("score", "high") == "Score must be a number"

    def test_too_long_text_and_too_many_rows(self):
        assert message("name", "x" * 21) == "Referrer's name must be 20 characters or fewer"
        assert message("children", [{"initials": "AB"}] * 4) == "Enter no more than 3 children"

    def test_a_row_is_named_by_its_position(self):
        rows = [{"initials": "AB", "age": 3}, {"initials": "CD", "age": 40}]
        assert message("children", rows) == "Child 2's age must be between 0 and 17"
        assert message("children", [{"initials": ""}]) == "Enter child 1's initials"
        assert message("children", [{"initials": "A", "age": "x"}]) == "Child 1's age must be a whole number"

    def test_an_answer_not_offered_and_an_email_address(self):
        assert message("decision", "maybe") == "Select the decision"
        assert message("training", "perhaps") == "Select yes if training needs were identified"
        assert message("owner", "me") == "Select the owner from the list"
        assert message("email", "not an address") == (
            "Enter an e-mail address in the correct format, like name@example.org"
        )

    def test_the_testers_findings_on_the_real_forms(self):
        assert errors_of(InitialConsideration, {"decision": "", "rationale": "x", "decided_on": None}) == {
            "decision": "Select the decision",
            "decided_on": "Enter the date of the decision",
        }
        assert errors_of(Conclusion, {"training_needs": None, "concluded_on": "2026-06-01"}) == {
            "training_needs": "Select yes if training needs were identified"
        }
        form = {**date_parts("received_on", "", "", ""), "children": [{"initials": "AB", "age": 30}]}
        errors = errors_of(CaseCreate, read_form_like(form))
        assert errors["received_on"] == "Enter the date received"
        assert errors["children"] == "Child 1's age must be between 0 and 17"
        many = errors_of(CaseCreate, {"children": [{"initials": "AB"}] * 31})
        assert many["children"] == "Enter no more than 30 children"

    def test_rules_across_fields_are_told_with_every_other_problem(self):
        assert errors_of(InitialConsideration, {"decision": "nfa", "rationale": ""}) == {
            "nfa_kind": "Select the kind of no further action",
            "rationale": "Enter the rationale",
            "decided_on": "Enter the date of the decision",
        }
        met = errors_of(InitialConsideration, {"decision": "threshold_met", "harm_limbs": []})
        assert met["harm_limbs"] == "Select at least one limb of the harm test that is met"
        employer = errors_of(CaseCreate, {"organisation_id": "", "organisation_name": ""})
        assert employer["organisation_id"] == "Select the employer or enter the name of a new one"
        assert employer["received_on"] == "Enter the date received"

    def test_a_validators_own_message_is_kept(self):
        decided = {"decision": "nfa", "rationale": "x", "decided_on": "2026-01-05"}
        assert errors_of(InitialConsideration, decided) == {
            "nfa_kind": "Select the kind of no further action"
        }
        long = errors_of(ChildIn, {"initials": "ß" * 10})  # 20 letters in capitals
        assert long == {"initials": "Initials must be 10 characters or fewer"}
