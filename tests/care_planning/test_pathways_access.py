"""The access matrix (tests/test_access_matrix.py) run over the pathways' routes only: every page and API
operation carries one permission marker, refuses roles without the capability, and answers another
home's or organisation's resident with 403/404, never data and never a server error."""

from __future__ import annotations

import pytest

from tests.test_access_matrix import _clients, all_routes, problems_of, run_matrix

pytestmark = pytest.mark.django_db


def _pathway_routes():
    return [r for r in all_routes() if "pathway" in r.template]


def test_every_pathways_route_is_marked():
    routes = _pathway_routes()
    assert len(routes) > 60
    assert problems_of(routes) == []


def test_every_pathways_route_for_every_role(world, client_for):
    routes = _pathway_routes()
    checked, failures = run_matrix(routes, world, _clients(world, client_for))
    assert checked >= len(routes) * 10
    assert failures == [], "\n".join(failures)
