//! The host side of the WIT `request` resource, for every contract version: read-only
//! accessors over the embedder's request. 0.2 adds the route context and the identity.

use std::sync::Arc;

use wasmtime::component::Resource;

use crate::component::bindings::{v0_1, v0_2};
use crate::component::store::InstanceState;
use crate::request::Request;

/// A request handed to a guest for the duration of one call: the value behind a WIT `request`
/// handle in the instance's resource table.
pub struct LentRequest(pub(crate) Arc<Request>);

impl InstanceState {
    fn lent(&self, handle: &Resource<LentRequest>) -> wasmtime::Result<&Request> {
        Ok(&self.table.get(handle)?.0)
    }
}

/// Every value of header `name` of `request` (case-insensitive), in order.
fn header_all(request: &Request, name: &str) -> Vec<String> {
    request.headers.get_all(name).map(str::to_owned).collect()
}

/// The accessors both versions have, implemented once for a version's `HostRequest` trait.
macro_rules! request_accessors {
    () => {
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
            Ok(self.lent(&handle)?.headers.to_pairs())
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
            Ok(header_all(self.lent(&handle)?, &name))
        }

        fn body(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<Vec<u8>> {
            Ok(self.lent(&handle)?.body.clone())
        }

        fn client_addr(
            &mut self,
            handle: Resource<LentRequest>,
        ) -> wasmtime::Result<Option<String>> {
            Ok(self.lent(&handle)?.client_addr.clone())
        }
    };
}

impl v0_1::types::Host for InstanceState {}

impl v0_1::types::HostRequest for InstanceState {
    request_accessors!();

    fn drop(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<()> {
        // A 0.1 guest only ever holds a borrow; the host takes the request back itself when
        // the call returns.
        let _ = handle;
        Ok(())
    }
}

impl v0_2::types::Host for InstanceState {}

impl v0_2::types::HostRequest for InstanceState {
    request_accessors!();

    fn id(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<String> {
        Ok(self.lent(&handle)?.id.clone())
    }

    fn route(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<Option<String>> {
        Ok(self.lent(&handle)?.route.clone())
    }

    fn path_params(
        &mut self,
        handle: Resource<LentRequest>,
    ) -> wasmtime::Result<Vec<(String, String)>> {
        Ok(self.lent(&handle)?.path_params.clone())
    }

    fn path_param(
        &mut self,
        handle: Resource<LentRequest>,
        name: String,
    ) -> wasmtime::Result<Option<String>> {
        Ok(self.lent(&handle)?.path_param(&name).map(str::to_owned))
    }

    fn identity(
        &mut self,
        handle: Resource<LentRequest>,
    ) -> wasmtime::Result<Option<v0_2::types::Identity>> {
        Ok(self.lent(&handle)?.identity.as_ref().map(v0_2::identity))
    }

    fn drop(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<()> {
        // A 0.2 guest owns the handle and drops it when done. A handle it kept past its call
        // was revoked then; its slot may hold something else by now, which is left alone.
        if self.table.get(&handle).is_ok() {
            self.table.delete(handle)?;
        }
        Ok(())
    }
}
