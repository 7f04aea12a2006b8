"""``{{ value|qty }}``: a decimal quantity without trailing zeros or an exponent (100.000 -> 100, 2.500 -> 2.5)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def qty(value) -> str:
    if value is None or value == "":
        return ""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
