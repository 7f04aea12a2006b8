"""NHS number validation: 10 digits with the modulus-11 check digit.

Source: NHS Data Dictionary, "NHS Number" (check digit calculation): multiply the first nine
digits by weights 10 down to 2, sum, take the remainder on division by 11, subtract it from 11;
a result of 11 gives check digit 0 and a result of 10 means the number is invalid.
The synthetic test range used by the demo starts with 999 (NHS Digital test data guidance).
"""

from __future__ import annotations


def normalise(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def check_digit(first_nine: str) -> int | None:
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    result = 11 - (total % 11)
    if result == 11:
        return 0
    if result == 10:
        return None
    return result


def is_valid(value: str) -> bool:
    digits = normalise(value)
    if len(digits) != 10 or len(value.replace(" ", "").replace("-", "")) != 10:
        return False
    expected = check_digit(digits[:9])
    return expected is not None and expected == int(digits[9])


def format_nhs(value: str) -> str:
    d = normalise(value)
    return f"{d[:3]} {d[3:6]} {d[6:]}" if len(d) == 10 else value


# --- The national health number, per nation -------------------------------------------------
#
# England and Wales: NHS number (NHS Data Dictionary, "NHS Number"; modulus 11 as above).
# Scotland: CHI number (Community Health Index). NHS Scotland / Public Health Scotland, "CHI
#   Number" (ISD Scotland data dictionary): 10 digits, the first six the date of birth DDMMYY,
#   digits 7-8 serial, digit 9 sex (odd male, even female), digit 10 a modulus 11 check digit
#   computed exactly like the NHS number's.
# Northern Ireland: Health and Care (H&C) number. HSC Business Services Organisation: 10 digits
#   with the same modulus 11 check digit, allocated from the range 320 000 0000 to 399 999 9999
#   (a range the NHS in England and Wales never allocates).
# Ireland: no such number is recorded here (the Individual Health Identifier is not yet in use
#   in care homes), so the field must stay empty.

H_AND_C_RANGE = (3_200_000_000, 3_999_999_999)


def _chi_date_ok(digits: str, date_of_birth) -> str | None:
    """None when the CHI's first six digits are a real date matching the date of birth, else a message."""
    from datetime import date

    from django.utils.translation import gettext as _

    day, month, yy = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    try:
        # The century is not in the number; 2000 + YY has the same leap years (2000 is one).
        date(2000 + yy, month, day)
    except ValueError:
        return _("A CHI number starts with the date of birth as DDMMYY; %(d)s is not a date.") % {"d": digits[:6]}
    if date_of_birth is not None and (date_of_birth.day, date_of_birth.month, date_of_birth.year % 100) != (
        day,
        month,
        yy,
    ):
        return _("This CHI number does not match the date of birth (its first six digits are DDMMYY).")
    return None


def validate_health_number(value: str, nation: str, date_of_birth=None) -> str:
    """The normalised number (digits only, "" for none) valid for a home in ``nation``; raises
    django.core.exceptions.ValidationError with a message a person can act on."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    value = (value or "").strip()
    if not value:
        return ""
    if nation == "ireland":
        raise ValidationError(_("Homes in Ireland do not record an NHS, CHI or H&C number; leave this empty."))
    if set(value) - set("0123456789 -"):
        raise ValidationError(_("Use digits only (spaces are fine), for example 943 476 5919."))
    digits = normalise(value)
    if len(digits) != 10:
        raise ValidationError(_("The number must have 10 digits; this one has %(n)d.") % {"n": len(digits)})
    if nation == "scotland":
        problem = _chi_date_ok(digits, date_of_birth)
        if problem:
            raise ValidationError(problem)
        if not is_valid(digits):
            raise ValidationError(_("This is not a valid CHI number: the check digit does not match."))
        return digits
    if nation == "northern_ireland":
        if not is_valid(digits):
            raise ValidationError(_("This is not a valid H&C number: the check digit does not match."))
        if not H_AND_C_RANGE[0] <= int(digits) <= H_AND_C_RANGE[1]:
            raise ValidationError(_("An H&C number is between 320 000 0000 and 399 999 9999."))
        return digits
    if not is_valid(digits):
        raise ValidationError(_("This is not a valid NHS number: the check digit does not match. Check each digit."))
    return digits


def number_label(nation: str) -> str:
    from django.utils.translation import gettext as _

    return {"scotland": _("CHI number"), "northern_ireland": _("H&C number")}.get(nation, _("NHS number"))


def duplicate_of(digits: str, home_id: int, exclude_pk: int | None = None):
    """Another resident of the home, not discharged nor deceased, with this number (or None):
    two current records for one person split their care between two records."""
    from writecarenotes.residents.models import Resident, ResidentStatus

    if not digits:
        return None
    qs = Resident.objects.filter(home_id=home_id, nhs_number=digits).exclude(
        status__in=[ResidentStatus.DISCHARGED, ResidentStatus.DECEASED]
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def duplicate_message(other) -> str:
    from django.utils.translation import gettext as _

    return _("%(name)s (born %(dob)s) already has this number in this home: is this the same person?") % {
        "name": other.display_name,
        "dob": other.date_of_birth.strftime("%d/%m/%Y"),
    }
