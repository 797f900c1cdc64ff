"""Text handling that must agree byte for byte with the Rust SDK and plugins (``str::trim``,
``str::parse`` of unsigned integers, ``{:?}`` of a string), so that a plugin written in
Python reports the same values and messages as its Rust twin."""

import string
import unicodedata
from typing import Union

# Unicode's White_Space property, which Rust's `str::trim` strips. Python's `str.strip`
# also strips U+001C..U+001F, which Rust keeps.
_WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


# Header names compare ASCII-case-insensitively (RFC 9110, Rust's `eq_ignore_ascii_case`), not
# by Unicode case folding.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def ascii_lower(value: str) -> str:
    """``value`` with only the ASCII letters lower-cased, as Rust's ``to_ascii_lowercase``."""
    return value.translate(_ASCII_LOWER)


def trim(value: str) -> str:
    """``value`` without leading and trailing Unicode white space, as Rust's ``str::trim``."""
    return value.strip(_WHITE_SPACE)


def parse_uint(value: str, bits: int) -> Union[int, str]:
    """``value`` parsed as Rust parses a ``u{bits}``, or the text of Rust's error."""
    if not value:
        return "cannot parse integer from empty string"
    digits = value[1:] if value[0] == "+" and len(value) > 1 else value
    limit = (1 << bits) - 1
    number = 0
    for c in digits:
        if not "0" <= c <= "9":
            return "invalid digit found in string"
        number = number * 10 + ord(c) - 48
        if number > limit:
            return "number too large to fit in target type"
    return number


def debug_str(value: str) -> str:
    """``value`` quoted and escaped as Rust's ``format!("{:?}", value)`` writes it."""
    out = ['"']
    for c in value:
        if c in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[c])
        elif _printable(c):
            out.append(c)
        else:
            out.append(f"\\u{{{ord(c):x}}}")
    out.append('"')
    return "".join(out)


_SHORT_ESCAPES = {"\0": "\\0", "\t": "\\t", "\r": "\\r", "\n": "\\n", '"': '\\"', "\\": "\\\\"}


def _printable(c: str) -> bool:
    # Rust escapes control, format, separator (other than the space), private-use,
    # unassigned and surrogate code points, and combining marks.
    if c == " ":
        return True
    return unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs", "Mn", "Me")
