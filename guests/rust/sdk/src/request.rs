use crate::bindings::wire;
use crate::{Header, Identity};

/// The incoming HTTP request, handed to the plugin for one call.
///
/// It is a handle on the host's request: each method copies into the plugin only what it
/// returns, so an auth plugin that reads one header never pays for the body. The plugin owns
/// the handle for the call; the SDK drops it when the plugin's function returns (the host
/// revokes a handle still held after the call, so a `Request` cannot be kept for later).
#[derive(Debug)]
pub struct Request {
    wire: wire::Request,
}

impl Request {
    /// Wraps the handle the host passed to an export; the registration macros do this.
    pub(crate) fn from_wire(wire: wire::Request) -> Self {
        Self { wire }
    }

    /// The method, upper case as sent (`GET`, `POST`, ...).
    pub fn method(&self) -> String {
        self.wire.method()
    }

    /// The path, without the query string, as sent (percent-encoding preserved).
    pub fn path(&self) -> String {
        self.wire.path()
    }

    /// The raw query string without the leading `?`; empty when there is none.
    pub fn query(&self) -> String {
        self.wire.query()
    }

    /// The first value of query parameter `name`, percent-decoded; `None` when absent.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.wire.query_param(name)
    }

    /// Every header in the order received; duplicate names are kept.
    pub fn headers(&self) -> Vec<Header> {
        self.wire.headers()
    }

    /// The first value of header `name` (case-insensitive); `None` when absent.
    pub fn header(&self, name: &str) -> Option<String> {
        self.wire.header(name)
    }

    /// Every value of header `name` (case-insensitive), in the order received.
    pub fn header_all(&self, name: &str) -> Vec<String> {
        self.wire.header_all(name)
    }

    /// The body bytes; empty when there is none.
    pub fn body(&self) -> Vec<u8> {
        self.wire.body()
    }

    /// The client's address (`ip:port`) when the embedder knows it.
    pub fn client_addr(&self) -> Option<String> {
        self.wire.client_addr()
    }

    /// The request's id, unique per request within the embedder's run (the client's
    /// `x-request-id` when it sent one); empty when the embedder has none.
    pub fn id(&self) -> String {
        self.wire.id()
    }

    /// The template of the route the request matched (`/users/{id}`); `None` in auth plugins
    /// (they run before route matching) and when no route matched.
    pub fn route(&self) -> Option<String> {
        self.wire.route()
    }

    /// The path parameters of the matched route, in template order, percent-decoded
    /// (`[("id", "42")]` for `/users/42` on `/users/{id}`); empty when no route matched.
    pub fn path_params(&self) -> Vec<(String, String)> {
        self.wire.path_params()
    }

    /// The value of path parameter `name` of the matched route; `None` when absent.
    pub fn path_param(&self, name: &str) -> Option<String> {
        self.wire.path_param(name)
    }

    /// Who the auth chain said the caller is, for response plugins; `None` in auth plugins
    /// and when no auth plugin allowed the request.
    pub fn identity(&self) -> Option<Identity> {
        self.wire.identity().map(Identity::from_wire)
    }
}
