"""GET /api/v1/audit/records: the audit page's rows as JSON (same filters, same scope)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema

from writecarenotes.platform.api.pagination import paginated
from writecarenotes.platform.audit.queries import AuditFilterForm, apply_filters, visible_records
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["audit"])


class AuditRecordOut(Schema):
    id: int
    chain: str
    seq: int
    at: datetime
    kind: str
    action: str
    home_id: int | None
    actor_kind: str
    actor_id: int | None
    actor_email: str
    system_reason: str
    target_type: str
    target_id: str
    subject_type: str
    subject_id: str
    part: str
    before: dict | list | None
    after: dict | list | None
    reason: str
    ip: str
    request_id: str
    hash: str


class AuditFilters(Schema):
    resident: str = ""
    user: str = ""
    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    action: str = ""


@router.get("/records", response=list[AuditRecordOut], summary="Audit records of the homes you act for, newest first")
@paginated
@requires("audit", "view")
def list_records(request, filters: Query[AuditFilters]):
    raw = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    form = AuditFilterForm(raw)
    if not form.is_valid():
        raise ValidationError(form.errors)
    return apply_filters(visible_records(request.access), form.cleaned_data)
