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
