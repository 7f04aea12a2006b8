"""The capability table: role x context x action. The single source of truth for permissions.

Every page and API endpoint declares the (context, action) it needs (see ``permissions``);
this table says which roles hold it. ``/access`` renders it for managers to read, and
``tests/test_access_matrix.py`` checks every route against it.

Actions:
  view    see the context's records (reading a resident's record is audited)
  record  create records and corrections in the context (never deletes)
  manage  configure, approve, sign off and administer the context
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, str] = {"view": _("View"), "record": _("Record"), "manage": _("Manage")}
_LETTER = {"v": "view", "r": "record", "m": "manage"}


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    short: str
    staff: bool = True
    org_level: bool = False  # may hold the role for the whole organisation (all its homes)


ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        Role("provider_admin", _("Provider admin"), "PA", org_level=True),
        Role("registered_manager", _("Registered manager"), "RM"),
        Role("deputy_manager", _("Deputy manager"), "DM"),
        Role("nurse", _("Nurse"), "RN"),
        Role("senior_carer", _("Senior carer"), "SC"),
        Role("carer", _("Carer"), "CA"),
        Role("finance", _("Finance"), "FI", org_level=True),
        Role("hr", _("HR"), "HR", org_level=True),
        Role("maintenance", _("Maintenance"), "MT"),
        Role("kitchen", _("Kitchen"), "KT"),
        Role("activities", _("Activities coordinator"), "AC"),
        Role("family", _("Family member"), "FM", staff=False),
        Role("inspector", _("Inspector (read-only)"), "IN", staff=False),
    ]
}

#: Contexts: the platform's own areas, then one per bounded context of the service map.
CONTEXTS: dict[str, str] = {
    "homes": _("Homes, units and rooms"),
    "users": _("Users and access"),
    "audit": _("Audit trail"),
    "catalog": _("Service catalog"),
    "residents": _("Residents"),
    "care_records": _("Daily care records"),
    "care_planning": _("Care planning"),
    "assessments": _("Assessments"),
    "beds": _("Beds and occupancy"),
    "medication": _("Medication"),
    "workforce": _("Staff and HR"),
    "payroll": _("Payroll"),
    "rota": _("Rota"),
    "facilities": _("Facilities and maintenance"),
    "accounting": _("Accounting"),
    "billing": _("Resident billing"),
    "insights": _("Reports and analytics"),
    "procurement": _("Procurement and inventory"),
    "family": _("Family portal"),
    "messaging": _("Messages and notifications"),
    "activities": _("Activities"),
    "catering": _("Catering"),
    "quality": _("Compliance and quality"),
    "incidents": _("Incidents and safeguarding"),
    "documents": _("Documents"),
    "integration": _("Integrations"),
    "transport": _("Transport"),
    "safety": _("Safety, fire and emergencies"),
}

# fmt: off
# Columns: PA RM DM RN SC CA FI HR MT KT AC FM IN   (see ROLES for the codes)
_COLUMNS = ["provider_admin", "registered_manager", "deputy_manager", "nurse", "senior_carer", "carer",
            "finance", "hr", "maintenance", "kitchen", "activities", "family", "inspector"]
_TABLE: dict[str, list[str]] = {
    #                PA     RM     DM     RN     SC     CA     FI     HR     MT     KT     AC     FM    IN
    "homes":        ["vrm", "vrm", "v",   "v",   "v",   "v",   "v",   "v",   "v",   "v",   "v",   "",   "v"],
    "users":        ["vrm", "vrm", "v",   "",    "",    "",    "",    "v",   "",    "",    "",    "",   ""],
    "audit":        ["v",   "v",   "v",   "",    "",    "",    "",    "",    "",    "",    "",    "",   "v"],
    "catalog":      ["v",   "v",   "v",   "v",   "v",   "v",   "v",   "v",   "v",   "v",   "v",   "v",  "v"],
    "residents":    ["vrm", "vrm", "vrm", "vr",  "vr",  "vr",  "v",   "",    "",    "v",   "v",   "",   "v"],
    "care_records": ["vrm", "vrm", "vrm", "vrm", "vr",  "vr",  "",    "",    "",    "v",   "vr",  "",   "v"],
    "care_planning":["vrm", "vrm", "vrm", "vrm", "vr",  "v",   "",    "",    "",    "v",   "v",   "",   "v"],
    "assessments":  ["vrm", "vrm", "vrm", "vrm", "vr",  "v",   "",    "",    "",    "",    "",    "",   "v"],
    "beds":         ["vrm", "vrm", "vr",  "v",   "v",   "",    "v",   "",    "v",   "",    "",    "",   "v"],
    "medication":   ["vrm", "vrm", "vrm", "vrm", "vr",  "",    "",    "",    "",    "",    "",    "",   "v"],
    "workforce":    ["vrm", "vrm", "vr",  "",    "",    "",    "",    "vrm", "",    "",    "",    "",   "v"],
    "payroll":      ["vrm", "",    "",    "",    "",    "",    "vrm", "vr",  "",    "",    "",    "",   ""],
    "rota":         ["vrm", "vrm", "vrm", "v",   "v",   "v",   "v",   "v",   "v",   "v",   "v",   "",   "v"],
    "facilities":   ["vrm", "vrm", "vr",  "vr",  "vr",  "vr",  "",    "",    "vrm", "vr",  "vr",  "",   "v"],
    "accounting":   ["vrm", "",    "",    "",    "",    "",    "vrm", "",    "",    "",    "",    "",   ""],
    "billing":      ["vrm", "v",   "",    "",    "",    "",    "vrm", "",    "",    "",    "",    "",   ""],
    "insights":     ["v",   "v",   "v",   "",    "",    "",    "v",   "",    "",    "",    "",    "",   "v"],
    "procurement":  ["vrm", "vrm", "vr",  "",    "",    "",    "vr",  "",    "vr",  "vr",  "",    "",   ""],
    "family":       ["vrm", "vrm", "vrm", "vr",  "vr",  "",    "",    "",    "",    "",    "",    "v",  ""],
    "messaging":    ["vrm", "vrm", "vrm", "vr",  "vr",  "vr",  "vr",  "vr",  "vr",  "vr",  "vr",  "vr", ""],
    "activities":   ["vrm", "vrm", "vrm", "v",   "vr",  "vr",  "",    "",    "",    "",    "vrm", "",   "v"],
    "catering":     ["vrm", "vrm", "vr",  "v",   "v",   "v",   "",    "",    "",    "vrm", "",    "",   "v"],
    "quality":      ["vrm", "vrm", "vr",  "",    "",    "",    "",    "",    "",    "",    "",    "",   "v"],
    "incidents":    ["vrm", "vrm", "vrm", "vr",  "vr",  "vr",  "",    "v",   "vr",  "vr",  "vr",  "",   "v"],
    "documents":    ["vrm", "vrm", "vr",  "v",   "v",   "v",   "vr",  "vr",  "v",   "v",   "v",   "",   "v"],
    "integration":  ["vrm", "v",   "",    "",    "",    "",    "",    "",    "",    "",    "",    "",   ""],
    "transport":    ["vrm", "vrm", "vr",  "v",   "v",   "v",   "",    "",    "v",   "",    "vr",  "",   "v"],
    "safety":       ["vrm", "vrm", "vr",  "v",   "v",   "v",   "",    "v",   "vr",  "v",   "v",   "",   "v"],
}
# fmt: on

#: Contexts holding resident, finance or HR data: any role that can view one of them (staff or an
#: inspector) must use two-factor authentication; family members must too (they see a resident's life).
SENSITIVE_CONTEXTS = frozenset(
    {
        "residents",
        "care_records",
        "care_planning",
        "assessments",
        "medication",
        "workforce",
        "payroll",
        "billing",
        "accounting",
        "family",
        "incidents",
        "audit",
        "users",
    }
)


def _build() -> dict[str, dict[str, frozenset[str]]]:
    table: dict[str, dict[str, frozenset[str]]] = {role: {} for role in _COLUMNS}
    for context, cells in _TABLE.items():
        if context not in CONTEXTS:
            raise ValueError(f"capability table names an unknown context {context!r}")
        if len(cells) != len(_COLUMNS):
            raise ValueError(f"capability row {context!r} has {len(cells)} cells, expected {len(_COLUMNS)}")
        for role, cell in zip(_COLUMNS, cells, strict=True):
            table[role][context] = frozenset(_LETTER[c] for c in cell)
    if set(_TABLE) != set(CONTEXTS) or set(_COLUMNS) != set(ROLES):
        raise ValueError("capability table must cover every context and every role")
    return table


CAPABILITIES = _build()


def actions_for(role: str, context: str) -> frozenset[str]:
    return CAPABILITIES.get(role, {}).get(context, frozenset())


def role_can(role: str, context: str, action: str) -> bool:
    return action in actions_for(role, context)


def capability_set(roles: set[str] | frozenset[str]) -> frozenset[tuple[str, str]]:
    return frozenset((ctx, act) for role in roles for ctx, acts in CAPABILITIES.get(role, {}).items() for act in acts)


def role_requires_two_factor(role: str) -> bool:
    """Any role that can see resident, finance or HR data (staff or inspector), and family members."""
    if role == "family":
        return True
    return any(actions_for(role, ctx) for ctx in SENSITIVE_CONTEXTS)


def matrix_rows() -> list[tuple[str, str, list[str]]]:
    """Rows for the /access page: (context, label, [letters per role in ROLES order])."""
    order = list(ROLES)
    rows = []
    for context, label in CONTEXTS.items():
        cells = []
        for role in order:
            acts = actions_for(role, context)
            cells.append("".join(a[0].upper() for a in ("view", "record", "manage") if a in acts))
        rows.append((context, str(label), cells))
    return rows
