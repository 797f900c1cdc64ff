//! The registration macros. Each implements the generated `Guest` traits for the plugin type by
//! forwarding to the SDK traits, then expands the generated export macro, which defines the
//! component's exports and describes them in a custom section of the plugin crate.

/// Register `$ty`, an [`AuthPlugin`](crate::AuthPlugin), as the component's only export:
/// the component implements the `auth-plugin` world.
///
/// Use it once per crate, at the crate's top level.
#[macro_export]
macro_rules! auth_plugin {
    ($ty:ident) => {
        $crate::__auth_guest!($ty);
        $crate::__private::auth_world::__export_auth_plugin!(
            $ty with_types_in $crate::__private::auth_world
        );
    };
}

/// Register `$ty`, a [`ResponsePlugin`](crate::ResponsePlugin), as the component's only
/// export: the component implements the `response-plugin` world.
///
/// Use it once per crate, at the crate's top level.
#[macro_export]
macro_rules! response_plugin {
    ($ty:ident) => {
        $crate::__response_guest!($ty);
        $crate::__private::response_world::__export_response_plugin!(
            $ty with_types_in $crate::__private::response_world
        );
    };
}

/// Register `$ty`, both an [`AuthPlugin`](crate::AuthPlugin) and a
/// [`ResponsePlugin`](crate::ResponsePlugin): the component implements the `plugin` world.
///
/// Use it once per crate, at the crate's top level.
#[macro_export]
macro_rules! plugin {
    ($ty:ident) => {
        $crate::auth_plugin!($ty);
        $crate::response_plugin!($ty);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __auth_guest {
    ($ty:ident) => {
        impl $crate::__private::auth_world::exports::mockforge::plugin::auth::Guest for $ty {
            fn authenticate(
                req: $crate::__private::wire::Request,
            ) -> ::core::result::Result<$crate::__private::wire::AuthOutcome, $crate::PluginError>
            {
                $crate::__private::authenticate::<$ty>(req)
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __response_guest {
    ($ty:ident) => {
        impl $crate::__private::response_world::exports::mockforge::plugin::responder::Guest
            for $ty
        {
            fn respond(
                req: $crate::__private::wire::Request,
            ) -> ::core::result::Result<::core::option::Option<$crate::Response>, $crate::PluginError>
            {
                $crate::__private::respond::<$ty>(req)
            }

            fn modify(
                req: $crate::__private::wire::Request,
                resp: $crate::Response,
            ) -> ::core::result::Result<$crate::Response, $crate::PluginError> {
                $crate::__private::modify::<$ty>(req, resp)
            }
        }
    };
}
