"""A plugin's own errors (WIT `plugin-error`): raise one from a handler and the host reports
it with the message intact."""


class PluginError(Exception):
    """A failure inside the plugin; `kind` is one of the WIT plugin-error cases."""

    kind = "internal"
    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidConfig(PluginError):
    """The plugin's configuration is missing a value or holds a bad one."""

    kind = "invalid-config"
    status = 422


class InvalidRequest(PluginError):
    """The request cannot be processed by this plugin (as opposed to being refused)."""

    kind = "invalid-request"
    status = 422


class Internal(PluginError):
    """Any other failure inside the plugin."""

    kind = "internal"
    status = 500
