"""path_for: the index of route paths answers exactly as Starlette's own url_path_for."""

from __future__ import annotations

import pytest
from starlette.convertors import IntegerConvertor
from starlette.requests import Request
from starlette.routing import NoMatchFound
from starlette.testclient import TestClient

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
