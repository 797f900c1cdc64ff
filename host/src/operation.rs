//! The three things a plugin can be asked to do, as types. Each says its name, which kinds of
//! plugin offer it and what it answers; every backend runs all three (see
//! `component::call` and `remote::call`), and the facade ([`Plugin`](crate::Plugin)) checks
//! the kind, validates the answer and records the metrics once for all of them.

use crate::answer::PluginAnswer;
use crate::types::{AuthOutcome, PluginKind, Response};

/// One operation of the plugin contract.
pub(crate) trait Operation: Send + 'static {
    /// What the plugin answers; validated against the host's
    /// [`AnswerLimits`](crate::AnswerLimits) before the embedder sees it.
    type Answer: PluginAnswer + Send + 'static;
    /// Its name in the WIT and in errors.
    const NAME: &'static str;
    /// Whether plugins of `kind` offer it.
    fn offered_by(kind: PluginKind) -> bool;
}

/// `authenticate`: who is this request?
pub(crate) struct Authenticate;

/// `respond`: a response to this request, or `None` to let the next plugin or the mock answer.
pub(crate) struct Respond;

/// `modify`: this response to the request, changed.
pub(crate) struct Modify(pub(crate) Response);

impl Operation for Authenticate {
    type Answer = AuthOutcome;
    const NAME: &'static str = "authenticate";
    fn offered_by(kind: PluginKind) -> bool {
        kind.authenticates()
    }
}

impl Operation for Respond {
    type Answer = Option<Response>;
    const NAME: &'static str = "respond";
    fn offered_by(kind: PluginKind) -> bool {
        kind.responds()
    }
}

impl Operation for Modify {
    type Answer = Response;
    const NAME: &'static str = "modify";
    fn offered_by(kind: PluginKind) -> bool {
        kind.responds()
    }
}
