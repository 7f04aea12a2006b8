"""National health numbers per nation: NHS number (England, Wales), CHI (Scotland), H&C (NI)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from writecarenotes.residents.nhs_number import validate_health_number


@pytest.mark.parametrize("nation", ["england", "wales"])
def test_nhs_number_published_example_is_valid(nation):
    # NHS Data Dictionary worked example: 943 476 5919.
    assert validate_health_number("943 476 5919", nation) == "9434765919"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("943 476 5918", "check digit"),
        ("943 476 591", "10 digits"),
        ("943-476-591X", "digits only"),
    ],
)
def test_bad_nhs_numbers_say_what_is_wrong(value, message):
    with pytest.raises(ValidationError, match=message):
        validate_health_number(value, "england")


def test_empty_is_allowed_everywhere():
    for nation in ("england", "wales", "scotland", "northern_ireland", "ireland"):
        assert validate_health_number("  ", nation) == ""


# CHI 010130 123 5: born 1 January 1930; weights 10..2 over 0,1,0,1,3,0,1,2,3 sum to 50;
# 50 mod 11 = 6; 11 - 6 = 5, the check digit (worked by hand).
def test_chi_number_valid_for_its_date_of_birth():
    assert validate_health_number("010130 1235", "scotland", date(1930, 1, 1)) == "0101301235"


def test_chi_number_check_digit_and_date_are_checked():
    with pytest.raises(ValidationError, match="check digit"):
        validate_health_number("0101301236", "scotland", date(1930, 1, 1))
    with pytest.raises(ValidationError, match="does not match the date of birth"):
        validate_health_number("0101301235", "scotland", date(1931, 1, 1))
    with pytest.raises(ValidationError, match="not a date"):
        validate_health_number("3102301230", "scotland")  # 31 February


def test_an_nhs_number_is_not_a_chi_number():
    # 943 476 5919 is a valid NHS number, but 94/34/76 is not a date of birth.
    with pytest.raises(ValidationError):
        validate_health_number("9434765919", "scotland")


# H&C 320 000 0007: 3*10 + 2*9 = 48; 48 mod 11 = 4; 11 - 4 = 7 (worked by hand).
def test_h_and_c_number_in_range_with_check_digit():
    assert validate_health_number("320 000 0007", "northern_ireland") == "3200000007"


def test_h_and_c_number_outside_its_range_is_refused():
    # 943 476 5919 passes modulus 11 but is outside 320 000 0000 - 399 999 9999.
    with pytest.raises(ValidationError, match="between 320 000 0000 and 399 999 9999"):
        validate_health_number("943 476 5919", "northern_ireland")
    with pytest.raises(ValidationError, match="check digit"):
        validate_health_number("3200000008", "northern_ireland")


def test_homes_in_ireland_record_no_number():
    with pytest.raises(ValidationError, match="Ireland"):
        validate_health_number("9434765919", "ireland")
