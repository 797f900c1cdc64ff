"""The plugin's configuration, read from the manifest's `[config]` table."""

from dataclasses import dataclass
from typing import Optional

from mockforge_plugin import InvalidConfig, config


@dataclass
class Settings:
    #: The HMAC-SHA256 key.
    secret: bytes
    #: The required `iss` claim, when configured.
    issuer: Optional[str]
    #: The value the `aud` claim must be or contain, when configured.
    audience: Optional[str]
    #: Seconds of clock skew tolerated on `exp` and `nbf`.
    leeway: int

    @classmethod
    def load(cls) -> "Settings":
        secret = config.require("secret")
        # An empty key makes every signature forgeable.
        if not secret:
            raise InvalidConfig("config key `secret` is empty")
        return cls(
            secret=secret.encode(),
            issuer=config.get("issuer"),
            audience=config.get("audience"),
            leeway=config.uint("leeway-seconds") or 0,
        )


_current: Optional[Settings] = None


def current_settings() -> Settings:
    """The settings, read from the host on the first call and kept after: a plugin's
    configuration is fixed for the life of its instances. A configuration that does not load
    is not kept, so that every call reports it."""
    global _current
    if _current is None:
        _current = Settings.load()
    return _current
