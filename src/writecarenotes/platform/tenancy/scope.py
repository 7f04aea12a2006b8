"""The one way tenant data is reached: an explicit, active scope.

Every request of a signed-in user runs inside a :class:`Scope` (set by
``TenantScopeMiddleware`` or the API authentication); background work and commands
enter one with :func:`acting_for`. Tenant models use :class:`ScopedManager` as their
default manager, which raises :class:`UnscopedQueryError` when no scope is active and
otherwise filters to the homes of the scope. Forgetting a filter in a view is therefore
impossible: the query either is scoped or fails loudly.

System code that must see every tenant (the demo builder, audit verification) uses
``Model.unscoped`` explicitly; a test lists the modules allowed to do so.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import models


class UnscopedQueryError(RuntimeError):
    """Tenant data was queried with no active scope."""


class OutOfScopeError(PermissionError):
    """A tenant row was written for a home outside the active scope."""


@dataclass(frozen=True)
class Scope:
    organisation_id: int
    home_ids: frozenset[int]
    active_home_id: int | None = None
    user_id: int | None = None
    reason: str = field(default="request", compare=False)

    def allows(self, home_id: int | None) -> bool:
        return home_id is not None and home_id in self.home_ids


_current: ContextVar[Scope | None] = ContextVar("wcn_tenant_scope", default=None)


def current_scope() -> Scope | None:
    return _current.get()


def require_scope() -> Scope:
    scope = _current.get()
    if scope is None:
        raise UnscopedQueryError(
            "Tenant data needs an active scope: run inside a request, or use "
            "tenancy.scope.acting_for(...) in commands and background jobs."
        )
    return scope


def organisation_of_home(home_id: int) -> int:
    """The organisation of a home. Every scope holds homes of exactly one organisation (see
    ``acting_for`` and ``identity.access.Access.scope``), so a home in the active scope needs no
    query; any other home is looked up (a home never changes organisation)."""
    scope = _current.get()
    if scope is not None and scope.allows(home_id):
        return scope.organisation_id
    from writecarenotes.platform.tenancy.models import CareHome

    return CareHome.objects.values_list("organisation_id", flat=True).get(pk=home_id)


@contextmanager
def activate(scope: Scope | None) -> Iterator[Scope | None]:
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


@contextmanager
def acting_for(homes: Iterable[object], *, user_id: int | None = None, reason: str = "system") -> Iterator[Scope]:
    """Run a block as if acting for the given homes (CareHome objects or ids) of one organisation."""
    from writecarenotes.platform.tenancy.models import CareHome

    ids = [h.pk if isinstance(h, CareHome) else int(h) for h in homes]  # type: ignore[arg-type]
    rows = list(CareHome.objects.filter(pk__in=ids).values_list("pk", "organisation_id"))
    orgs = {org for _, org in rows}
    if len(rows) != len(set(ids)) or len(orgs) != 1:
        raise ValueError("acting_for needs existing homes of exactly one organisation")
    scope = Scope(
        organisation_id=orgs.pop(),
        home_ids=frozenset(ids),
        active_home_id=ids[0] if len(ids) == 1 else None,
        user_id=user_id,
        reason=reason,
    )
    with activate(scope):
        yield scope


class ScopedQuerySet(models.QuerySet):
    pass


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """Default manager of tenant data: filtered to the active scope, or an error."""

    def get_queryset(self) -> ScopedQuerySet:
        scope = require_scope()
        return super().get_queryset().filter(home_id__in=scope.home_ids)


class UnscopedManager(models.Manager):
    """Every tenant's rows. Only for system code that is listed in tests/test_tenancy.py."""


class OrganisationScopedManager(models.Manager):
    """For organisation-level rows (care homes themselves): filtered to the scope's organisation."""

    def get_queryset(self):
        scope = require_scope()
        return super().get_queryset().filter(organisation_id=scope.organisation_id)
