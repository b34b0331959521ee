"""path_for: the index of route paths answers exactly as Starlette's own url_path_for; the
templates' undefined is strict in ours and lenient in the GOV.UK macros."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError
from starlette.convertors import IntegerConvertor
from starlette.requests import Request
from starlette.routing import NoMatchFound
from starlette.testclient import TestClient

from app import web
from app.web import _route_index, path_for, templates


def _request(app) -> Request:
    return Request({"type": "http", "app": app, "method": "GET", "path": "/", "headers": []})


def test_every_named_route_has_the_path_starlette_gives(app):
    request = _request(app)
    index = _route_index(app)
    assert {"cases.show", "users.list", "letters.show", "reference.edit", "home"} <= index.keys()
    checked = 0
    for name, entries in index.items():
        for _, convertors in entries:
            params = {k: 7 if isinstance(c, IntegerConvertor) else "a-b" for k, c in convertors.items()}
            assert path_for(request, name, **params) == str(app.url_path_for(name, **params)), name
            checked += 1
    assert checked >= len(index)


def test_the_static_mount_and_unknown_names_are_left_to_starlette(app):
    request = _request(app)
    assert path_for(request, "static", path="app.css") == str(app.url_path_for("static", path="app.css"))
    with pytest.raises(NoMatchFound):
        path_for(request, "no.such.route")
    with pytest.raises(NoMatchFound):
        path_for(request, "cases.show")  # its case_id is missing


def test_every_template_is_compiled_before_the_process_serves(app):
    """A process says it is ready only once its templates are compiled, so the first requests after a
    start do not all compile them at once."""
    templates.env.cache.clear()
    with TestClient(app):
        cached = {key[1] for key in templates.env.cache.keys()}
    assert {n for n in templates.env.list_templates() if n.endswith(".html")} <= cached


INPUT = '{% from "govuk_frontend_jinja/components/input/macro.html" import govukInput %}'


def test_our_templates_are_strict_and_the_govuk_macros_lenient():
    env = templates.env
    shown = env.from_string(INPUT + '{{ govukInput({"id": "x", "name": "x", "label": {"text": "X"}}) }}')
    assert 'id="x"' in shown.render()  # the macro reads many parameters it was not given
    with pytest.raises(UndefinedError):
        env.from_string("{{ not_passed }}").render()
    with pytest.raises(UndefinedError):  # made in our template, so strict inside the macro too
        env.from_string(INPUT + '{{ govukInput({"id": "x", "name": typo.name, "label": {}}) }}').render()


def test_a_cached_fragment_is_rendered_once_per_distinct_input_and_escaped(app, monkeypatch):
    monkeypatch.setattr(web, "_fragments", type(web._fragments)())
    monkeypatch.setattr(web, "FRAGMENTS_KEPT", 2)
    request = _request(app)
    rendered: list[str] = []
    original = templates.env.get_template("cases/_filters.html").render
    template = templates.env.get_template("cases/_filters.html")
    monkeypatch.setattr(template, "render", lambda ctx: rendered.append(ctx["values"]["q"]) or original(ctx))

    def form(q: str, officers=(("1", "Ann Officer"),)):
        context = {
            "values": {"q": q},
            "errors": {},
            "sort": "received",
            "order": "descending",
            "overdue": False,
            "officer_options": list(officers),
            "status_options": [("active", "Open")],
            "sector_options": [],
            "category_options": [],
        }
        return web.cached_fragment(request, "cases/_filters.html", context)

    first = form("<b>Smith</b>")
    assert "&lt;b&gt;Smith&lt;/b&gt;" in first and "<b>Smith" not in first
    assert form("<b>Smith</b>") is first and rendered == ["<b>Smith</b>"]
    assert "Bea Officer" in form("<b>Smith</b>", officers=(("2", "Bea Officer"),))  # new options, new key
    form("Jones")
    assert len(web._fragments) == 2  # the oldest is dropped
    form("<b>Smith</b>")
    assert rendered == ["<b>Smith</b>", "<b>Smith</b>", "Jones", "<b>Smith</b>"]
