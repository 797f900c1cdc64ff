use crate::{PluginError, Request, Response};

/// A plugin that produces or changes mock responses; exported as `mockforge:plugin/responder`.
///
/// Both functions have defaults that leave the mock alone, so a plugin implements only what it
/// needs and keeps compiling when the interface grows. Register the implementing type with
/// [`response_plugin!`](crate::response_plugin) (or [`plugin!`](crate::plugin) when it is also
/// an [`AuthPlugin`](crate::AuthPlugin)).
pub trait ResponsePlugin {
    /// Produce a response for `req`, or decline with `None` so that the next plugin or the
    /// default mock answers. Declines by default.
    fn respond(_req: &Request) -> Result<Option<Response>, PluginError> {
        Ok(None)
    }

    /// Change `resp`, the response the mock produced for `req`, and return the result.
    /// Returns `resp` unchanged by default.
    fn modify(_req: &Request, resp: Response) -> Result<Response, PluginError> {
        Ok(resp)
    }
}
