//! The host side of the WIT `request` resource: read-only accessors over the embedder's request.

use std::sync::Arc;

use wasmtime::component::Resource;

use crate::component::bindings::types::{Host, HostRequest};
use crate::component::store::InstanceState;
use crate::request::Request;

/// A request lent to a guest for the duration of one call: the value behind a WIT `request`
/// handle in the instance's resource table.
pub struct LentRequest(pub(crate) Arc<Request>);

impl Host for InstanceState {}

impl InstanceState {
    fn lent(&self, handle: &Resource<LentRequest>) -> wasmtime::Result<&Request> {
        Ok(&self.table.get(handle)?.0)
    }
}

impl HostRequest for InstanceState {
    fn method(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<String> {
        Ok(self.lent(&handle)?.method.clone())
    }

    fn path(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<String> {
        Ok(self.lent(&handle)?.path.clone())
    }

    fn query(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<String> {
        Ok(self.lent(&handle)?.query.clone())
    }

    fn query_param(
        &mut self,
        handle: Resource<LentRequest>,
        name: String,
    ) -> wasmtime::Result<Option<String>> {
        Ok(self.lent(&handle)?.query_param(&name))
    }

    fn headers(
        &mut self,
        handle: Resource<LentRequest>,
    ) -> wasmtime::Result<Vec<(String, String)>> {
        Ok(self.lent(&handle)?.headers.clone())
    }

    fn header(
        &mut self,
        handle: Resource<LentRequest>,
        name: String,
    ) -> wasmtime::Result<Option<String>> {
        Ok(self.lent(&handle)?.header(&name).map(str::to_owned))
    }

    fn header_all(
        &mut self,
        handle: Resource<LentRequest>,
        name: String,
    ) -> wasmtime::Result<Vec<String>> {
        Ok(self
            .lent(&handle)?
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(&name))
            .map(|(_, v)| v.clone())
            .collect())
    }

    fn body(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<Vec<u8>> {
        Ok(self.lent(&handle)?.body.clone())
    }

    fn client_addr(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<Option<String>> {
        Ok(self.lent(&handle)?.client_addr.clone())
    }

    fn drop(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<()> {
        // The host deletes the entry itself when the call returns; a guest only ever holds a
        // borrow, so there is nothing to release here.
        let _ = handle;
        Ok(())
    }
}
