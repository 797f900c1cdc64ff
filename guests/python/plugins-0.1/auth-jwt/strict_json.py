"""JSON read and written exactly as the Rust plugin's `serde_json` (with `preserve_order`) does,
so that the same token yields the same verdict and the same claim texts in both languages.

Python's `json` accepts more than RFC 8259 (NaN, lone surrogates, any nesting depth, integers
of any size) and writes numbers its own way; this module narrows what it accepts and writes
values as `serde_json::Value::to_string` does.
"""

import json
import math
import re
from decimal import Decimal
from typing import Any, Optional

# serde_json refuses a 128th level of nested arrays and objects.
MAX_DEPTH = 127

_U64_MAX = (1 << 64) - 1
_I64_MIN = -(1 << 63)
_SURROGATE = re.compile("[\ud800-\udfff]")
# Python's pure-Python scanner would read `\u+1a2` or `\u 1a2` as escapes.
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|(.))", re.DOTALL)


class _Refused(ValueError):
    pass


def _parse_int(text: str):
    # As serde_json: integers that fit a u64 (or, when negative, an i64) stay integers;
    # others, and `-0`, become floats.
    number = int(text)
    if 0 < number <= _U64_MAX or number == 0 and not text.startswith("-"):
        return number
    if _I64_MIN <= number < 0:
        return number
    return _parse_float(text)


def _parse_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise _Refused("number out of range")
    return number


def _refuse_constant(name: str):
    raise _Refused(name)


# The decoder's C scanner, called directly: `JSONDecoder.decode` wraps it in three Python calls
# and two regular-expression matches for the white space around the value.
_SCAN = json.JSONDecoder(
    parse_int=_parse_int, parse_float=_parse_float, parse_constant=_refuse_constant
).scan_once
_WHITE_SPACE = " \t\n\r"


def loads(raw: bytes) -> Optional[Any]:
    """The value the UTF-8 JSON text `raw` holds, or `None` when serde_json would refuse it
    (a JSON `null` is returned as `None` too: callers here want objects)."""
    try:
        text = raw.decode("utf-8")
        escaped = "\\" in text
        if escaped and any(m.group(1) == "u" for m in _ESCAPE.finditer(text)):
            return None
        body = text.strip(_WHITE_SPACE)
        value, end = _SCAN(body, 0)
        if end != len(body):
            return None
    except (ValueError, RecursionError, StopIteration):
        return None
    # A lone surrogate can only come from an escape (UTF-8 cannot encode one), and nesting
    # deeper than the limit needs as many brackets: most texts need no walk over the value.
    if escaped or text.count("[") + text.count("{") > MAX_DEPTH:
        if not _acceptable(value, 1):
            return None
    return value


def _acceptable(value: Any, depth: int) -> bool:
    if isinstance(value, str):
        return not _SURROGATE.search(value)
    if isinstance(value, list):
        return depth <= MAX_DEPTH and all(_acceptable(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return depth <= MAX_DEPTH and all(
            _acceptable(k, depth) and _acceptable(v, depth + 1) for k, v in value.items()
        )
    return True


def dumps(value: Any) -> str:
    """`value` as compact JSON text, byte for byte as `serde_json::Value::to_string`."""
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is int:
        return str(value)
    if kind is list:
        try:
            # Most arrays in claims hold only strings; the encoder refuses anything else.
            return "[" + ",".join(map(_quote, value)) + "]"
        except TypeError:
            pass
    out = []
    _write(value, out)
    return "".join(out)


def dumps_members(obj: dict) -> list:
    """The members of the JSON object `obj` as (name, `dumps(value)`) pairs, in order."""
    # Most claims are strings: they are quoted here, without a call to `dumps` each.
    return [(name, _quote(value) if type(value) is str else dumps(value)) for name, value in obj.items()]


def _write(value: Any, out: list) -> None:
    kind = type(value)
    if kind is str:
        out.append(_quote(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(format_float(value))
    elif isinstance(value, str):
        out.append(_quote(value))
    elif isinstance(value, list):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(",")
            out.append(_quote(key))
            out.append(":")
            _write(item, out)
        out.append("}")


# The standard library's (C) string encoder escapes exactly what serde_json escapes: `"`, `\\`,
# `\b \f \n \r \t`, and other control characters as `\\u00xx`.
_quote = json.encoder.encode_basestring


def format_float(x: float) -> str:
    """A finite float as serde_json writes it (the shortest round-trip digits, laid out as
    the `zmij` crate does): `1.0`, `0.001`, `1e+16`, `1.5e-7`, `-0.0`."""
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    sign, digit_tuple, exponent = Decimal(repr(x)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    # The decimal exponent of the first digit.
    exp10 = len(digit_tuple) + exponent - 1
    minus = "-" if sign else ""
    if -5 <= exp10 <= 15:
        if len(digits) - 1 <= exp10:
            return f"{minus}{digits}{'0' * (exp10 + 1 - len(digits))}.0"
        if exp10 >= 0:
            return f"{minus}{digits[:exp10 + 1]}.{digits[exp10 + 1:]}"
        return f"{minus}0.{'0' * (-exp10 - 1)}{digits}"
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{minus}{mantissa}e{'+' if exp10 >= 0 else '-'}{abs(exp10)}"
