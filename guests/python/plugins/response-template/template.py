"""Template rendering: `{{name}}` placeholders in JSON text."""

from mockforge_plugin import InvalidConfig
from mockforge_plugin.text import trim


def render(template: str, resolve) -> str:
    """Render `template`, replacing each `{{name}}` with what `resolve` gives for `name`.

    The template is read as JSON text, so that a value landing inside a JSON string is
    escaped as a JSON string's content, while a value outside a string (say `{{now_unix}}` as
    a number) is inserted as it is. A value `resolve` does not have is empty inside a string
    and `null` outside one, which keeps the output valid JSON.
    """
    out = []
    in_string = escaped = False
    i, n = 0, len(template)
    while i < n:
        if template.startswith("{{", i):
            end = template.find("}}", i + 2)
            if end < 0:
                raise InvalidConfig("config key `template`: a `{{` is never closed")
            value = resolve(trim(template[i + 2 : end]))
            if in_string:
                out.append(escape(value or ""))
            else:
                out.append("null" if value is None else value)
            i = end + 2
            continue
        c = template[i]
        out.append(c)
        if not in_string:
            in_string = c == '"'
        elif escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == '"':
            in_string = False
        i += 1
    return "".join(out)


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(value: str) -> str:
    """`value` escaped as the content of a JSON string (RFC 8259 section 7)."""
    return "".join(
        _ESCAPES.get(c) or (f"\\u{ord(c):04x}" if c < " " else c) for c in value
    )
