use crate::{AuthOutcome, PluginError, Request};

/// A plugin that decides who a request is; exported as `mockforge:plugin/auth`.
///
/// Register the implementing type with [`auth_plugin!`](crate::auth_plugin) (or
/// [`plugin!`](crate::plugin) when it is also a [`ResponsePlugin`](crate::ResponsePlugin)).
pub trait AuthPlugin {
    /// Authenticate `req`: allow it with an [`Identity`](crate::Identity) or deny it with a
    /// [`Denial`](crate::Denial).
    ///
    /// Missing or bad credentials are a deny, not an error: return `Err` only when the plugin
    /// cannot decide, such as when its configuration is wrong.
    fn authenticate(req: &Request) -> Result<AuthOutcome, PluginError>;
}
