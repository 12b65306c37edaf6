"""Digits from every keyboard. An Arabic keyboard types ٠١٢٣٤٥٦٧٨٩, a Persian one ۰۱۲۳۴۵۶۷۸۹, a Chinese or
Japanese one full-width ０１２３…; a phone number, a count or a class code typed with them means the same as
with ASCII digits, so they are read as ASCII wherever a number is typed or parsed (the phone does the same:
static/js/digits.js)."""

from __future__ import annotations

import unicodedata

# Signs that come with those keyboards: full-width plus, Arabic comma and decimal separator.
_SIGNS = str.maketrans(
    {"＋": "+", "\u066b": ".", "\u066c": ",", "\u060c": ",", "－": "-", "（": "(", "）": ")"}
)


def ascii_digits(text: str) -> str:
    """Every decimal digit of any script as its ASCII digit; everything else unchanged."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(character)) if unicodedata.category(character) == "Nd" else character
        for character in text.translate(_SIGNS)
    )


def ascii_digits_in(value: object) -> object:
    """For pydantic's BeforeValidator: text gets ASCII digits; a number or anything else passes as it is."""
    return ascii_digits(value) if isinstance(value, str) else value


def whole_number(value: object) -> object:
    """A count typed as text in any script ("٣", " 12 ") is that number; anything else is checked as sent."""
    if isinstance(value, str):
        digits = ascii_digits(value).strip()
        if digits.isascii() and digits.isdigit():
            return int(digits)
    return value
