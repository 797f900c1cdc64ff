"""Failures a plugin reports to the embedder; each becomes a WIT ``plugin-error`` (over HTTP,
the protocol's error envelope), named by ``kind``."""


class PluginError(Exception):
    """A failure inside the plugin; its message reaches the embedder as written."""

    #: The WIT ``plugin-error`` case, as the remote protocol names it.
    kind = "internal"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidConfig(PluginError):
    """The plugin's configuration is missing a value or holds a bad one."""

    kind = "invalid-config"


class InvalidRequest(PluginError):
    """The request cannot be processed by this plugin (as opposed to being refused)."""

    kind = "invalid-request"


class InternalError(PluginError):
    """Any other failure inside the plugin."""
