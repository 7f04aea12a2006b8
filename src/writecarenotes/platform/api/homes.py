"""Homes configuration API: the units (floors, wings) of the active home, under /api/v1/platform/units.

Also the reference use of the API conventions (ADR 0007): a paginated, filtered list; ETag on
reads; If-Match required on PATCH (428 without, 412 when stale); Idempotency-Key on POST.
"""

from typing import Annotated

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Filters, paginated, text_search
from writecarenotes.platform.api.problems import Conflict
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy import services
from writecarenotes.platform.tenancy.models import Unit

units_router = Router(tags=["platform"])

_ETAG_HEADER = {"ETag": {"description": "Send it back in If-Match to change this unit.", "schema": {"type": "string"}}}
_IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": "The ETag of the unit as you last read it. Missing: 428. Stale: 412.",
    "schema": {"type": "string"},
}


class UnitOut(Schema):
    id: int
    home_id: int
    name: str
    description: str
    sort_order: int


class UnitIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=300)
    sort_order: int = Field(0, ge=0, le=32767)


class UnitChanges(Schema):
    name: str = Field(None, min_length=1, max_length=120)
    description: str = Field(None, max_length=300)
    sort_order: int = Field(None, ge=0, le=32767)


class UnitFilters(Filters):
    q: Annotated[str | None, text_search("name", "description")] = Field(None, description="Free text")


class NoActiveHome(Conflict):
    kind = "no-active-home"
    title = "No active home"


@units_router.get("", response=list[UnitOut], summary="Units of the active home")
@paginated
@requires("homes", "view")
def list_units(request, filters: Query[UnitFilters]):
    return filters.filter(Unit.objects.all()).order_by("home_id", "sort_order", "name", "pk")


@units_router.get(
    "/{unit_id}",
    response=UnitOut,
    summary="One unit, with its ETag",
    openapi_extra={"responses": {200: {"description": "OK", "headers": _ETAG_HEADER}}},
)
@requires("homes", "view")
def get_unit(request, unit_id: int, response: HttpResponse):
    unit = get_object_or_404(Unit.objects, pk=unit_id)
    response["ETag"] = etag_for(unit)
    return unit


@units_router.post("", response={201: UnitOut}, summary="Add a unit to the active home")
@requires("homes", "manage")
@idempotent
def create_unit(request, payload: UnitIn, response: HttpResponse):
    home = request.access.active_home
    if home is None:
        raise NoActiveHome(_("Choose one home to act for, then add the unit."))
    unit = services.create_unit(home=home, **payload.dict())
    response["ETag"] = etag_for(unit)
    response["Location"] = f"{request.path.rstrip('/')}/{unit.pk}"
    return Status(201, unit)


@units_router.patch(
    "/{unit_id}",
    response=UnitOut,
    summary="Change a unit (If-Match required)",
    openapi_extra={"parameters": [_IF_MATCH]},
)
@requires("homes", "manage")
def update_unit(request, unit_id: int, payload: UnitChanges, response: HttpResponse):
    unit = get_object_or_404(Unit.objects, pk=unit_id)
    if_match = if_match_header(request)
    unit = services.update_unit(unit_id=unit.pk, changes=payload.dict(exclude_unset=True), if_match=if_match)
    response["ETag"] = etag_for(unit)
    return unit
