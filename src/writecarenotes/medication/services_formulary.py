"""The home's formulary: add a medicine with its active ingredients, correct it (a new version with a
reason), mark it inactive (never deleted: orders and records point at it).

The ingredients (lower-case approved name, mg per dose unit, drug classes) are what the safety checks add
up and match (the same ingredient across products, allergies, duplicate therapy), so a correction of the
ingredients is recorded before -> after in the audit trail with its reason.

Controlled drugs: Misuse of Drugs Regulations 2001, Schedules 2 to 5; a Schedule 2 drug is recorded in the
controlled drugs register (reg. 19; UNVERIFIED regulation number), so it is always ``cd_register``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from writecarenotes.medication.models import ControlledSchedule, DoseUnit, Medicine, MedicineForm, MedicineIngredient
from writecarenotes.medication.services_orders import _decimal
from writecarenotes.medication.services_special import active_home_id
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.audit.versions import save_version

FIELDS = (
    "name",
    "form",
    "strength",
    "dose_unit",
    "dmd_code",
    "controlled_schedule",
    "cd_register",
    "time_critical",
    "needs_fridge",
)
#: SNOMED CT identifiers (dm+d VMP/AMP codes) are 6 to 18 digits
DMD_RE = re.compile(r"^\d{6,18}$")
CLASS_RE = re.compile(r"^[a-z0-9][a-z0-9 \-]{0,59}$")


class MedicineNotFound(LookupError):
    pass


def clean_medicine(values: dict, ingredients: list[dict], *, home_id: int, pk: int | None = None) -> tuple[dict, list]:
    e: dict[str, list[str]] = {}
    out: dict = {}
    out["name"] = str(values.get("name") or "").strip()[:160]
    if not out["name"]:
        e["name"] = [_("Enter the medicine's name as on the label.")]
    elif Medicine.objects.filter(home_id=home_id, name__iexact=out["name"]).exclude(pk=pk).exists():
        e["name"] = [_("The home's list already has a medicine with this name.")]
    for field, choices in (("form", MedicineForm.values), ("dose_unit", DoseUnit.values)):
        out[field] = str(values.get(field) or "")
        if out[field] not in choices:
            e[field] = [_("Choose one of the options.")]
    out["strength"] = str(values.get("strength") or "").strip()[:60]
    out["dmd_code"] = str(values.get("dmd_code") or "").strip()
    if out["dmd_code"] and not DMD_RE.match(out["dmd_code"]):
        e["dmd_code"] = [_("A dm+d identifier is a SNOMED CT code of 6 to 18 digits.")]
    out["controlled_schedule"] = str(values.get("controlled_schedule") or "")
    if out["controlled_schedule"] not in ControlledSchedule.values:
        e["controlled_schedule"] = [_("Choose one of the options.")]
    out["cd_register"] = bool(values.get("cd_register"))
    if out["controlled_schedule"] == ControlledSchedule.SCHEDULE_2 and not out["cd_register"]:
        e["cd_register"] = [
            _(
                "A Schedule 2 controlled drug is kept in the controlled drugs register "
                "(Misuse of Drugs Regulations 2001)."
            )
        ]
    out["time_critical"] = bool(values.get("time_critical"))
    out["needs_fridge"] = bool(values.get("needs_fridge"))
    clean_ings, seen = [], set()
    if not ingredients:
        e["ingredients"] = [_("Add at least one active ingredient: the safety checks match on them.")]
    for i, ing in enumerate(ingredients):
        field = f"ingredients.{i}"
        name = " ".join(str(ing.get("ingredient") or "").lower().split())[:80]
        if not name:
            e.setdefault(field, []).append(_("Enter the ingredient's name."))
            continue
        if name in seen:
            e.setdefault(field, []).append(_("%(n)s is listed twice.") % {"n": name})
        seen.add(name)
        errs: dict = {}
        mg = _decimal(ing.get("amount_mg"), field, errs)
        if mg is not None and mg <= 0:
            errs.setdefault(field, []).append(_("The amount must be more than 0 mg."))
        classes = ing.get("classes") or []
        if isinstance(classes, str):
            classes = [c for c in re.split(r"[,;]", classes)]
        classes = sorted({" ".join(str(c).lower().split()) for c in classes if str(c).strip()})
        for c in classes:
            if not CLASS_RE.match(c):
                errs.setdefault(field, []).append(_("%(c)s is not a drug class name.") % {"c": c})
        for k, v in errs.items():
            e.setdefault(k, []).extend(v)
        clean_ings.append({"ingredient": name, "amount_mg": mg, "classes": classes})
    if e:
        raise ValidationError(e)
    return out, clean_ings


def _ingredients_json(rows) -> list[dict]:
    return [
        {
            "ingredient": r["ingredient"],
            "amount_mg": f"{Decimal(r['amount_mg']).normalize():f}" if r["amount_mg"] is not None else None,
            "classes": r["classes"],
        }
        for r in rows
    ]


def add_medicine(*, values: dict, ingredients: list[dict], home_id: int | None = None) -> Medicine:
    with transaction.atomic():
        home = active_home_id(home_id)
        cleaned, ings = clean_medicine(values, ingredients, home_id=home)
        medicine = Medicine.objects.create(home_id=home, **cleaned)
        for ing in ings:
            MedicineIngredient.objects.create(home_id=home, medicine=medicine, **ing)
        save_version(medicine, action="medication.medicine.added")
        record_change(
            "medication.medicine.ingredients",
            target=medicine,
            before=None,
            after={"ingredients": _ingredients_json(ings)},
        )
        return medicine


def correct_medicine(
    pk: int, *, values: dict, ingredients: list[dict] | None, reason: str, if_match: str | None = None
) -> Medicine:
    """A correction: a new version with the reason. ``ingredients`` None leaves them as they are."""
    with transaction.atomic():
        medicine = Medicine.objects.select_for_update().filter(pk=pk).first()
        if medicine is None:
            raise MedicineNotFound(pk)
        if if_match is not None:
            check_if_match(if_match, etag_for(medicine))
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": [_("Give the reason for the correction.")]})
        current = list(medicine.ingredients.order_by("ingredient").values("ingredient", "amount_mg", "classes"))
        merged = {**{f: getattr(medicine, f) for f in FIELDS}, **{k: v for k, v in values.items() if k in FIELDS}}
        cleaned, ings = clean_medicine(
            merged, current if ingredients is None else ingredients, home_id=medicine.home_id, pk=medicine.pk
        )
        before_ings = _ingredients_json(current)
        after_ings = _ingredients_json(sorted(ings, key=lambda r: r["ingredient"]))
        changed = [f for f in FIELDS if getattr(medicine, f) != cleaned[f]]
        if not changed and before_ings == after_ings:
            raise ValidationError({"__all__": [_("Nothing changed.")]})
        for f in FIELDS:
            setattr(medicine, f, cleaned[f])
        medicine.version += 1
        medicine.save()
        save_version(medicine, reason=reason, action="medication.medicine.corrected")
        if before_ings != after_ings:
            _replace_ingredients(medicine, ings)
            record_change(
                "medication.medicine.ingredients",
                target=medicine,
                before={"ingredients": before_ings},
                after={"ingredients": after_ings},
                reason=reason,
                reason_required=True,
            )
        return medicine


def _replace_ingredients(medicine: Medicine, ings: list[dict]) -> None:
    """Update the ingredient rows in place; one no longer in the product is removed (its values are kept
    in the audit record's ``before``)."""
    existing = {r.ingredient: r for r in medicine.ingredients.all()}
    for ing in ings:
        row = existing.pop(ing["ingredient"], None)
        if row is None:
            MedicineIngredient.objects.create(home_id=medicine.home_id, medicine=medicine, **ing)
        else:
            row.amount_mg, row.classes = ing["amount_mg"], ing["classes"]
            row.save(update_fields=["amount_mg", "classes"])
    for row in existing.values():
        row.delete()


def set_active(pk: int, *, active: bool, reason: str, if_match: str | None = None) -> Medicine:
    """Mark a medicine inactive (no new orders) or active again, with the reason."""
    with transaction.atomic():
        medicine = Medicine.objects.select_for_update().filter(pk=pk).first()
        if medicine is None:
            raise MedicineNotFound(pk)
        if if_match is not None:
            check_if_match(if_match, etag_for(medicine))
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": [_("Give the reason.")]})
        if medicine.active == active:
            raise ValidationError(
                {"__all__": [_("It is already %(s)s.") % {"s": _("active") if active else _("inactive")}]}
            )
        medicine.active = active
        medicine.version += 1
        medicine.save()
        save_version(
            medicine, reason=reason, action="medication.medicine." + ("activated" if active else "deactivated")
        )
        return medicine


def mg_text(mg: Decimal | None) -> str:
    return "" if mg is None else f"{mg.normalize():f} mg"
