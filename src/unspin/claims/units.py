"""The vocabulary of units: currencies, measurements and times, and how they convert.

Kept apart from :mod:`unspin.claims.numbers` so the tables can grow without burying the
parsing code. Canonical names are what :class:`unspin.model.Claim` stores in ``unit``.
"""

from __future__ import annotations

__all__ = ["CURRENCIES", "TO_METRES", "UNIT_WORDS"]

_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "e": "EUR"}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
    "pounds": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "rupees": "INR",
    "rupee": "INR", "francs": "CHF", "franc": "CHF", "usd": "USD", "eur": "EUR", "gbp": "GBP",
}  # fmt: skip
# Measurement units (lower-case surface -> canonical name).
UNIT_WORDS: dict[str, str] = {
    "percent": "percent", "per cent": "percent", "%": "percent", "percentage points": "point",
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "miles": "mile", "mile": "mile", "nautical miles": "nautical mile",
    "metres": "m", "meters": "m", "metre": "m", "meter": "m", "m": "m",
    "feet": "foot", "foot": "foot", "ft": "foot", "yards": "yard", "yard": "yard",
    "tonnes": "tonne", "tons": "tonne", "tonne": "tonne", "ton": "tonne",
    "kg": "kg", "kilograms": "kg", "kilogram": "kg", "acres": "acre", "hectares": "hectare",
    "seconds": "second", "second": "second", "minutes": "minute", "minute": "minute",
    "mins": "minute", "min": "minute", "hours": "hour", "hour": "hour", "hrs": "hour",
    "days": "day", "day": "day", "weeks": "week", "week": "week", "months": "month",
    "month": "month", "years": "year", "year": "year", "decades": "decade", "decade": "decade",
}  # fmt: skip
# Units whose value converts to metres (distance) so "2,000 feet" and "600 m" compare.
TO_METRES = {"km": 1000.0, "mile": 1609.344, "nautical mile": 1852.0, "m": 1.0, "foot": 0.3048,
             "yard": 0.9144}  # fmt: skip

# Currency codes a quantity's unit can take; their counted thing is always "money".
CURRENCIES = frozenset(("USD", "EUR", "GBP", "JPY", "CNY", "INR", "CHF"))
