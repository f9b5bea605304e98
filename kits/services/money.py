"""Parsing what people type: money (Decimal CNY, 2 places, never float), quantities, MAC addresses.

Errors are ValidationErrors keyed by the field at fault, with a code callers and tests can tell apart.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

CENT = Decimal("0.01")
MAX_QUANTITY = 100_000  # more than any school buys in one line
MAX_DURABLE_QUANTITY = 1_000  # each durable item becomes a numbered asset
MAC_RE = re.compile(r"^[0-9A-F]{2}(:[0-9A-F]{2}){5}$")


def field_error(field, message, code):
    """A ValidationError on one field, with a code callers (and tests) can tell apart."""
    return ValidationError({field: ValidationError(message, code=code)})


# --- parsing and validating input --------------------------------------------------------------


def parse_money(value, field, *, allow_zero=False):
    """Decimal CNY with at most 2 places, written plainly (1,234.50 or ¥35); no exponents, NaN,
    negatives or zero. Floats are refused outright: money never passes through binary floating point."""
    if isinstance(value, Decimal):
        text = str(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
    else:
        raise field_error(field, _("Enter an amount in yuan, e.g. 35.00."), "invalid")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        raise field_error(field, _("Enter an amount in yuan, e.g. 35.00."), "invalid")
    amount = Decimal(text)
    if amount != amount.quantize(CENT):
        raise field_error(field, _("Amounts have at most two decimal places (fen)."), "invalid")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise field_error(field, _("The amount must be greater than zero."), "min_value")
    return amount.quantize(CENT)


def parse_quantity(value, field="quantity", *, maximum=MAX_QUANTITY):
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not re.fullmatch(r"\+?\d+", text):
        raise field_error(field, pgettext("kits money", "Enter a whole number."), "invalid")
    quantity = int(text)
    if quantity <= 0:
        raise field_error(field, _("The quantity must be at least 1."), "min_value")
    if quantity > maximum:
        raise field_error(
            field,
            _("%(quantity)s is more than one line can hold (at most %(maximum)s).")
            % {"quantity": quantity, "maximum": maximum},
            "max_value",
        )
    return quantity


def normalise_mac(mac):
    text = (mac or "").strip().upper().replace("-", ":")
    if text and not MAC_RE.match(text):
        raise field_error(
            "mac",
            _("%(mac)s is not a MAC address like 24:6F:28:AA:BB:CC.") % {"mac": mac},
            "invalid",
        )
    return text
