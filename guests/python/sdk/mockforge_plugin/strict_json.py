"""JSON read as strictly as RFC 8259 and the host (Rust's `serde_json`) read it, so that a
plugin refuses the same untrusted input (a token's payload, a request body) in every language.

Python's :mod:`json` accepts more: ``NaN`` and ``Infinity``, lone surrogate escapes (which no
UTF-8 text can carry on), any nesting depth, numbers beyond a double's range. :func:`loads`
refuses those, and reads integers that fit a u64 (or, when negative, an i64) as integers and
others as floats, as ``serde_json`` does. Writing needs no care: :func:`json.dumps` writes what
the host reads.

    body = strict_json.loads(req.body())
    if not isinstance(body, dict):
        return Response.json(400, '{"error":"body must be a JSON object"}')
"""

import json
import math
import re
from typing import Any, Optional, Union

#: The deepest nesting of arrays and objects read (serde_json refuses a 128th level).
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


def loads(raw: Union[bytes, str]) -> Optional[Any]:
    """The value the JSON text ``raw`` (UTF-8 bytes, or text already decoded) holds, or
    ``None`` when it is not strict JSON (a JSON ``null`` is ``None`` too: check for the type
    you want). Surrounding JSON white space is allowed; a byte-order mark is not."""
    try:
        text = raw if type(raw) is str else raw.decode("utf-8")
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
