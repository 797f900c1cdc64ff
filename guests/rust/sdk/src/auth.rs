use crate::{AuthOutcome, PluginError, Request};

/// A plugin that decides who a request is; exported as `mockforge:plugin/auth`.
///
/// Register the implementing type with [`auth_plugin!`](crate::auth_plugin) (or
/// [`plugin!`](crate::plugin) when it is also a [`ResponsePlugin`](crate::ResponsePlugin)).
pub trait AuthPlugin {
    /// Authenticate `req`: allow it with an [`Identity`](crate::Identity), deny it with a
    /// [`Denial`](crate::Denial), or [abstain](AuthOutcome::Abstain) when it carries no
    /// credentials of this plugin's scheme, so that the next auth plugin decides.
    ///
    /// Bad credentials of the plugin's scheme are a deny, not an error: return `Err` only when
    /// the plugin cannot decide, such as when its configuration is wrong.
    fn authenticate(req: &Request) -> Result<AuthOutcome, PluginError>;
}
