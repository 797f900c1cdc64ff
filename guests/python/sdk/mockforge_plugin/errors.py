"""Failures a plugin reports to the embedder; each becomes a WIT ``plugin-error``."""


class PluginError(Exception):
    """A failure inside the plugin; its message reaches the embedder as written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidConfig(PluginError):
    """The plugin's configuration is missing a value or holds a bad one."""


class InvalidRequest(PluginError):
    """The request cannot be processed by this plugin (as opposed to being refused)."""


class InternalError(PluginError):
    """Any other failure inside the plugin."""
