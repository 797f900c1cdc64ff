"""JSON mock responses rendered from a template: see README.md for the configuration."""

import json
import os
import time

from mockforge_plugin import InternalError, InvalidConfig, Response, ResponsePlugin, config, register

import template

DEFAULT_STATUS = 200


@register
class Template(ResponsePlugin):
    def respond(self, req):
        # The host matched the route: the plugin answers for its own, or for every route when
        # it has none.
        route = config.get("route")
        if route is not None and req.route() != route:
            return None
        status = load_status()
        body = template.render(config.require("template"), Values(req, unix_now()).resolve)
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


class Values:
    """What the placeholders of one response stand for."""

    def __init__(self, req, now: int):
        self.req = req
        # One instant per response, so that `{{now}}` and `{{now_unix}}` agree.
        self.now = now
        # Drawn at the first `{{uuid}}` and repeated after, so that a template may reuse it.
        self.uuid = None
        # Asked of the host at the first `{{identity...}}`: (the identity or None,).
        self.identity = None

    def resolve(self, name: str):
        """The value of placeholder `name`: `None` when the request lacks it (an absent path
        or query parameter, header, identity or claim); `InvalidConfig` when the template
        names no known value."""
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
            return self.req.path_param(arg)
        if dot and kind == "query":
            return self.req.query_param(arg)
        if dot and kind == "header":
            return self.req.header(arg)
        if dot and kind == "identity":
            return self.identity_value(name, arg)
        raise bad_placeholder(name, "unknown placeholder")

    def identity_value(self, name: str, field: str):
        """`subject`, `username` or `claims.NAME` of the caller's identity: a string claim's
        text, any other claim as compact JSON."""
        if field not in ("subject", "username") and not field.startswith("claims."):
            raise bad_placeholder(name, "unknown placeholder")
        if self.identity is None:
            self.identity = (self.req.identity(),)
        identity = self.identity[0]
        if identity is None:
            return None
        if field == "subject":
            return identity.subject
        if field == "username":
            return identity.username
        claim = field[len("claims."):]
        if claim not in identity.claims:
            return None
        value = identity.claims[claim]
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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
