"""The audit trail's public API. Other code calls only these functions.

    record_change("unit.rename", target=unit, before={"name": old}, after={"name": unit.name}, reason=why)
    record_read("residents.resident", resident.pk, home=resident.home_id, part="profile")
    record_denied("residents:manage", home=home_id, detail={"path": request.path})
    with acting_as_system("nightly care-plan review reminders"): ...
    save_version(instance, reason=why)       # version history of clinical and legal records

Who, when and from where come from the audit context (see context.py).
"""

from __future__ import annotations

from django.db import connection, transaction

from writecarenotes.platform.audit import chain
from writecarenotes.platform.audit.context import acting_as_system, current_actor, current_context
from writecarenotes.platform.audit.models import AuditRecord, Kind

__all__ = [
    "acting_as_system",
    "changed_fields",
    "record_auth",
    "record_change",
    "record_denied",
    "record_read",
    "save_version",
    "snapshot",
    "verify",
]


class NotInTransaction(RuntimeError):
    """record_change was called outside transaction.atomic(): the change and its record must commit together."""


def _target(target) -> tuple[str, str, int | None, int | None]:
    """(type, id, home_id, organisation_id) of a model instance or a (type, id) pair."""
    if isinstance(target, tuple):
        kind, ident = target
        if hasattr(kind, "_meta"):
            kind = kind._meta.label_lower
        return str(kind), str(ident), None, None
    meta = getattr(target, "_meta", None)
    if meta is None or target.pk is None:
        raise ValueError("target must be a saved model instance or a (type, id) pair")
    org_id = target.pk if meta.label_lower == "tenancy.organisation" else getattr(target, "organisation_id", None)
    home_id = target.pk if meta.label_lower == "tenancy.carehome" else getattr(target, "home_id", None)
    return meta.label_lower, str(target.pk), home_id, org_id


def _home_id(home) -> int | None:
    if home is None:
        return None
    return int(getattr(home, "pk", home))


def _organisation_of(home_id: int | None, fallback: int | None) -> int | None:
    if home_id is None:
        return fallback
    from writecarenotes.platform.tenancy.models import CareHome
    from writecarenotes.platform.tenancy.scope import current_scope

    scope = current_scope()
    if scope is not None and scope.allows(home_id):  # a scope's homes are all of its organisation
        return scope.organisation_id
    return CareHome.objects.filter(pk=home_id).values_list("organisation_id", flat=True).first() or fallback


def _write(kind: str, action: str, *, home_id, organisation_id, **fields) -> AuditRecord:
    actor = current_actor()
    ctx = current_context()
    org_id = _organisation_of(home_id, organisation_id or actor.organisation_id)
    content = {
        "kind": kind,
        "action": action[:100],
        "organisation_id": org_id,
        "home_id": home_id,
        "actor_kind": actor.kind,
        "actor_id": actor.user_id,
        "actor_email": actor.email,
        "system_reason": actor.system_reason,
        "target_type": "",
        "target_id": "",
        "subject_type": "",
        "subject_id": "",
        "subject_label": "",
        "part": "",
        "before": None,
        "after": None,
        "reason": "",
        "ip": ctx.ip if ctx else "",
        "user_agent": ctx.user_agent if ctx else "",
        "request_id": ctx.request_id if ctx else "",
    }
    content.update(fields)
    for key in ("subject_label", "part", "target_type", "subject_type"):
        content[key] = (content[key] or "")[: 200 if key == "subject_label" else 100]
    return chain.append(content)


def record_change(
    action: str,
    *,
    target,
    home=None,
    before: dict | None,
    after: dict | None,
    reason: str = "",
    reason_required: bool = False,
    subject=None,
    subject_label: str = "",
) -> AuditRecord:
    """Record a state change, in the caller's transaction (so a rollback removes the record too).

    ``target`` is the changed row (an instance or a (type, id) pair); ``subject`` (optional, a
    pair or instance) is whose record it is, for example the resident a care note belongs to.
    """
    if reason_required and not (reason or "").strip():
        raise ValueError("a reason is required for this change")
    if not connection.in_atomic_block:
        raise NotInTransaction("record_change must be called inside transaction.atomic()")
    t_type, t_id, t_home, t_org = _target(target)
    s_type, s_id = (_target(subject)[:2]) if subject is not None else (t_type, t_id)
    home_id = _home_id(home) if home is not None else t_home
    return _write(
        Kind.CHANGE,
        action,
        home_id=home_id,
        organisation_id=t_org,
        target_type=t_type,
        target_id=t_id,
        subject_type=s_type,
        subject_id=s_id,
        subject_label=subject_label,
        before=before,
        after=after,
        reason=(reason or "").strip(),
    )


def record_read(subject_type: str, subject_id, *, home, part: str, label: str = "") -> AuditRecord:
    """Record that the current user read ``part`` of someone's record (a resident, a staff member ...)."""
    with transaction.atomic():
        return _write(
            Kind.READ,
            f"{subject_type}.read",
            home_id=_home_id(home),
            organisation_id=None,
            subject_type=subject_type,
            subject_id=str(subject_id),
            subject_label=label,
            target_type=subject_type,
            target_id=str(subject_id),
            part=part,
        )


def record_denied(what: str, *, home=None, detail: dict | None = None) -> AuditRecord:
    """Record a refused attempt (``what`` is usually "context:action")."""
    actor = current_actor()
    home_id = _home_id(home) if home is not None else actor.active_home_id
    with transaction.atomic():
        return _write(Kind.DENIED, f"denied {what}", home_id=home_id, organisation_id=None, after=detail)


def record_auth(action: str, *, user=None, email: str = "", detail: dict | None = None) -> AuditRecord:
    """Log-in success, failure, lock-out and log-out: records, not state changes."""
    home_id, org_id = _home_of_user(user) if user is not None else (None, None)
    fields = {"after": detail}
    if user is not None:
        fields.update(actor_kind="user", actor_id=user.pk, actor_email=user.email)
        fields.update(target_type=user._meta.label_lower, target_id=str(user.pk))
    elif email:
        fields.update(actor_kind="anonymous", actor_id=None, actor_email=email[:254])
    with transaction.atomic():
        return _write(Kind.AUTH, action, home_id=home_id, organisation_id=org_id, **fields)


def _home_of_user(user) -> tuple[int | None, int | None]:
    """A user with roles in exactly one home and none organisation-wide: that home's chain;
    otherwise their organisation's chain."""
    from writecarenotes.platform.identity.models import Membership

    rows = list(Membership.objects.filter(user=user).values_list("organisation_id", "home_id"))
    if not rows:
        return None, None
    org_id = min(o for o, _ in rows)
    homes = {h for o, h in rows if o == org_id}
    if len(homes) == 1 and None not in homes:
        return homes.pop(), org_id
    return None, org_id


def verify(home_id: int | None = None) -> list[chain.ChainReport]:
    return chain.verify_all(home_id)


from writecarenotes.platform.audit.versions import changed_fields, save_version, snapshot  # noqa: E402
