"""The case list's filters (the /cases page and GET /api/v1/cases): a filter value that is not one
of the allowed values is refused with the values it may take, never quietly matched to nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.cases.schemas import CaseFilters
from app.errors import ValidationFailed
from app.forms import validate
from app.reference import repository as reference
from app.reference.models import Category, ReferenceItem, Sector

#: Filters on reference data: the field, its kind and what it names.
CODE_FILTERS: tuple[tuple[str, type[ReferenceItem], str], ...] = (
    ("sector", Sector, "sector"),
    ("category", Category, "primary category"),
)


def case_filters(session: Session, raw: dict[str, Any]) -> CaseFilters:
    """The filters in `raw` (a query string), or ValidationFailed naming every bad one at once.
    Codes may be inactive: old cases still carry them."""
    errors: dict[str, str] = {}
    filters: CaseFilters | None = None
    try:
        filters = validate(CaseFilters, raw)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    for field, model, noun in CODE_FILTERS:
        value = str(raw.get(field) or "").strip()
        if not value or field in errors or reference.get_item(session, model, value) is not None:
            continue
        codes = ", ".join(item.code for item in reference.list_items(session, model))
        errors[field] = f"{field.capitalize()} must be a {noun} code, one of: {codes}"
    if errors or filters is None:
        raise ValidationFailed(errors)
    return filters
