"""JSON mock responses rendered from a template: see README.md for the configuration."""

import os
import time

from mockforge_plugin import InternalError, InvalidConfig, Response, ResponsePlugin, config, register
from mockforge_plugin.text import debug_str

import template

DEFAULT_STATUS = 200


@register
class Template(ResponsePlugin):
    def respond(self, req):
        route = Route(config.require("route"))
        params = route.matches(req.path())
        if params is None:
            return None
        status = load_status()
        body = template.render(config.require("template"), Values(req, params, unix_now()).resolve)
        return Response.json(status, body)

    def modify(self, req, resp):
        return resp.with_header("x-mockforge-plugin", "response-template")


def load_status() -> int:
    status = config.uint("status", bits=16)
    if status is None:
        return DEFAULT_STATUS
    if not 100 <= status <= 599:
        raise InvalidConfig(f"config key `status` = {status}: not an HTTP status")
    return status


class Route:
    """A path pattern such as `/users/{id}`: literal segments must be equal, `{name}`
    segments match any one segment and capture it."""

    def __init__(self, pattern: str):
        def invalid(why):
            return InvalidConfig(f"config key `route` = {debug_str(pattern)}: {why}")

        if not pattern.startswith("/"):
            raise invalid("must start with `/`")
        self.segments = []  # (is_param, text)
        for segment in pattern[1:].split("/"):
            if len(segment) >= 2 and segment[0] == "{" and segment[-1] == "}":
                name = segment[1:-1]
                if not name:
                    raise invalid("a parameter has no name")
                if (True, name) in self.segments:
                    raise invalid("a parameter name is used twice")
                self.segments.append((True, name))
            else:
                self.segments.append((False, segment))

    def matches(self, path: str):
        """The parameters captured from `path` as (name, value) pairs in pattern order, or
        `None` when it does not match. Values are kept as sent, percent-encoding included."""
        if not path.startswith("/"):
            return None
        parts = path[1:].split("/")
        if len(parts) != len(self.segments):
            return None
        params = []
        for (is_param, text), part in zip(self.segments, parts):
            if is_param:
                params.append((text, part))
            elif text != part:
                return None
        return params


class Values:
    """What the placeholders of one response stand for."""

    def __init__(self, req, params, now: int):
        self.req = req
        self.params = params
        # One instant per response, so that `{{now}}` and `{{now_unix}}` agree.
        self.now = now
        # Drawn at the first `{{uuid}}` and repeated after, so that a template may reuse it.
        self.uuid = None

    def resolve(self, name: str):
        """The value of placeholder `name`: `None` when the request lacks it (an absent query
        parameter or header); `InvalidConfig` when the template names no known value."""
        if name == "path":
            return self.req.path()
        if name == "method":
            return self.req.method()
        if name == "now":
            return rfc3339(self.now)
        if name == "now_unix":
            return str(self.now)
        if name == "uuid":
            if self.uuid is None:
                self.uuid = uuid_v4()
            return self.uuid
        kind, dot, arg = name.partition(".")
        if dot and kind == "path":
            value = next((v for n, v in self.params if n == arg), None)
            if value is None:
                raise bad_placeholder(name, "the route has no such parameter")
            return value
        if dot and kind == "query":
            return self.req.query_param(arg)
        if dot and kind == "header":
            return self.req.header(arg)
        raise bad_placeholder(name, "unknown placeholder")


def bad_placeholder(name: str, why: str) -> InvalidConfig:
    return InvalidConfig(f"config key `template`: {{{{{name}}}}}: {why}")


def unix_now() -> int:
    now = time.time()
    if now < 0:
        raise InternalError("the clock is before 1970")
    return int(now)


def rfc3339(secs: int) -> str:
    """`secs` since the Unix epoch as an RFC 3339 UTC timestamp, such as
    `2024-05-01T12:00:00Z`."""
    days, secs_of_day = divmod(secs, 86_400)
    year, month, day = civil_from_days(days)
    return (
        f"{year:04}-{month:02}-{day:02}T{secs_of_day // 3600:02}:"
        f"{secs_of_day // 60 % 60:02}:{secs_of_day % 60:02}Z"
    )


def civil_from_days(days: int):
    """The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm)."""
    z = days + 719_468
    era, day_of_era = divmod(z, 146_097)
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + 3 if shifted_month < 10 else shifted_month - 9
    return year_of_era + era * 400 + (month <= 2), month, day


def uuid_v4() -> str:
    """A random (version 4) UUID, from the host's random source (RFC 9562 section 5.4)."""
    b = bytearray(os.urandom(16))
    b[6] = b[6] & 0x0F | 0x40
    b[8] = b[8] & 0x3F | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
