"""Numbers written for people: in the active language's format (es-PE: "1,234.5")."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def number_shown(value: int | float | Decimal, *, decimals: int | None = None) -> str:
    """`value` with its thousands grouped and `decimals` places (None: as many as it has).

    Grouping is forced here rather than switched on with USE_THOUSAND_SEPARATOR, which would
    also group every id, year and row number a template prints.
    """
    if decimals is not None:
        # Django's number_format cuts extra places off; a figure must be rounded (2.675 -> 2.68).
        value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return str(number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True))


def probability_shown(probability: float) -> str:
    """A match probability as every page, message and sheet shows it: two decimals, rounded
    down, so that a 0.996 reads 0.99 and never as a certain 1.00.

    Rounded in decimal, not by flooring `probability * 100`: 0.29 * 100 is 28.999... in
    binary, which would floor to 0.28.
    """
    return str(Decimal(str(probability)).quantize(Decimal("0.01"), rounding=ROUND_DOWN))
