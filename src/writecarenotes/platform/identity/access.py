"""Who the current user is acting as: their homes, active home, roles and capabilities.

Built once per request by ``TenantScopeMiddleware`` (pages) or the API authentication,
and kept on ``request.access``. Permission checks in pages and API both ask it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from writecarenotes.platform.identity.capabilities import ROLES, capability_set, role_requires_two_factor
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.platform.tenancy.scope import Scope

ALL_HOMES = "all"


@dataclass
class Access:
    user_id: int | None
    homes: list[CareHome] = field(default_factory=list)  # homes the user may act for
    active_home: CareHome | None = None  # None with all_homes=True for organisation-level users
    all_homes: bool = False
    roles: frozenset[str] = frozenset()  # roles in force for the active home (or organisation)
    capabilities: frozenset[tuple[str, str]] = frozenset()
    can_choose_all_homes: bool = False
    via_token: bool = False

    def can(self, context: str, action: str) -> bool:
        return (context, action) in self.capabilities

    @property
    def organisation_id(self) -> int | None:
        if self.active_home is not None:
            return self.active_home.organisation_id
        return self.homes[0].organisation_id if self.homes else None

    @property
    def role_labels(self) -> list[str]:
        return [str(ROLES[r].label) for r in sorted(self.roles, key=list(ROLES).index)]

    @property
    def needs_two_factor(self) -> bool:
        return any(role_requires_two_factor(r) for r in self.roles)

    def scope(self) -> Scope | None:
        if self.user_id is None or not self.homes:
            return None
        ids = [h.pk for h in self.homes] if self.all_homes else ([self.active_home.pk] if self.active_home else [])
        if not ids:
            return None
        return Scope(
            organisation_id=self.organisation_id,  # type: ignore[arg-type]
            home_ids=frozenset(ids),
            active_home_id=None if self.all_homes else ids[0],
            user_id=self.user_id,
        )


ANONYMOUS = Access(user_id=None)


def memberships_of(user) -> list:
    from writecarenotes.platform.identity.models import Membership

    return list(Membership.objects.filter(user=user).select_related("home", "organisation"))


def build_access(user, requested_home: str | int | None) -> Access:
    """Resolve the homes and roles of ``user`` with the requested active home (an id or "all")."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    members = memberships_of(user)
    if not members:
        return Access(user_id=user.pk)
    # One organisation per user session: the first (by id) the user belongs to.
    org_id = min(m.organisation_id for m in members)
    members = [m for m in members if m.organisation_id == org_id]
    org_roles = {m.role for m in members if m.home_id is None}
    home_roles: dict[int, set[str]] = {}
    for m in members:
        if m.home_id is not None:
            home_roles.setdefault(m.home_id, set()).add(m.role)
    if org_roles:
        homes = list(CareHome.objects.filter(organisation_id=org_id, is_active=True).order_by("name"))
    else:
        homes = sorted({m.home for m in members if m.home_id and m.home.is_active}, key=lambda h: h.name)
    if not homes:
        return Access(user_id=user.pk)
    can_all = bool(org_roles) and len(homes) > 1
    active: CareHome | None = None
    all_homes = False
    if requested_home == ALL_HOMES and can_all:
        all_homes = True
    else:
        try:
            wanted = int(requested_home) if requested_home not in (None, "") else None
        except (TypeError, ValueError):
            wanted = None
        active = next((h for h in homes if h.pk == wanted), homes[0])
    roles = set(org_roles)
    if active is not None:
        roles |= home_roles.get(active.pk, set())
    return Access(
        user_id=user.pk,
        homes=homes,
        active_home=active,
        all_homes=all_homes,
        roles=frozenset(roles),
        capabilities=capability_set(frozenset(roles)),
        can_choose_all_homes=can_all,
    )
