from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def cny(value):
    """¥1,000,000.00: the way the design shows money, in every language."""
    return f"¥{Decimal(value or 0):,.2f}"
