"""What a process does before it says it is ready."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from app.main import create_app


def test_the_start_leaves_its_objects_out_of_the_cycle_collectors_reach():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    app = create_app()
    with TestClient(app) as client:
        frozen = gc.get_freeze_count()
        # The compiled templates and routes are frozen: a full collection walks far fewer objects.
        assert frozen > 50_000
        assert len(gc.get_objects(generation=2)) < frozen
        assert client.get("/sign-in").status_code == 200
