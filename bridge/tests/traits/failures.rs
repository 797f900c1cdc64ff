//! A plugin that traps or fails is a typed `PluginError` naming it, and the next call
//! succeeds; an operation the plugin does not offer is an error, not a panic.

use http::Method;
use mockforge_component_bridge::core::{
    AuthPlugin, AuthPluginConfig, PluginError, ResponsePlugin, ResponsePluginConfig,
};
use mockforge_component_bridge::host::Error;

use crate::support::{auth_request, context, load, response_request};

#[tokio::test]
async fn a_trap_is_a_runtime_error_with_the_panic_and_the_next_call_succeeds() {
    let plugin: Box<dyn AuthPlugin> = Box::new(load("rust", "flaky").await);
    let config = AuthPluginConfig::default();
    for _ in 0..3 {
        let err = plugin
            .authenticate(
                &context(),
                &auth_request("/", &[("x-auth", "trap")]),
                &config,
            )
            .await
            .expect_err("the plugin traps");
        let PluginError::WasmRuntimeError(inner) = &err else {
            panic!("not a runtime error: {err:?}");
        };
        let Some(Error::Trap {
            plugin: name,
            stderr,
            ..
        }) = inner.downcast_ref::<Error>()
        else {
            panic!("the host's trap is not inside: {inner:?}");
        };
        assert_eq!(name, "flaky");
        assert!(stderr.contains("flaky trapped on purpose"), "{stderr}");
        assert!(err.to_string().contains("flaky"), "{err}");

        let next = plugin
            .authenticate(&context(), &auth_request("/", &[]), &config)
            .await
            .expect("the next call succeeds")
            .unwrap();
        assert_eq!(next.identity().unwrap().user_id, "flaky");
    }
}

#[tokio::test]
async fn the_plugins_own_errors_keep_their_kind_and_message() {
    let fails: Box<dyn AuthPlugin> = Box::new(load("rust", "fails").await);
    let config = AuthPluginConfig::default();
    let err = fails
        .authenticate(&context(), &auth_request("/", &[]), &config)
        .await
        .unwrap_err();
    let PluginError::ConfigurationError { message } = &err else {
        panic!("not a configuration error: {err:?}");
    };
    assert_eq!(message, "plugin `fails`: the fails plugin always fails");

    let flaky: Box<dyn AuthPlugin> = Box::new(load("rust", "flaky").await);
    let err = flaky
        .authenticate(
            &context(),
            &auth_request("/", &[("x-auth", "error")]),
            &config,
        )
        .await
        .unwrap_err();
    let PluginError::InternalError { message } = &err else {
        panic!("not an internal error: {err:?}");
    };
    assert_eq!(message, "plugin `flaky`: flaky failed on purpose");
}

#[tokio::test]
async fn a_panicking_plugin_fails_every_call_without_taking_the_host_down() {
    let plugin: Box<dyn AuthPlugin> = Box::new(load("rust", "panic").await);
    for _ in 0..2 {
        let err = plugin
            .authenticate(
                &context(),
                &auth_request("/", &[]),
                &AuthPluginConfig::default(),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, PluginError::WasmRuntimeError(_)), "{err:?}");
        assert!(format!("{err:#}").contains("panic"), "{err:#}");
    }
}

#[tokio::test]
async fn an_answer_the_host_refuses_is_an_execution_error_naming_the_field() {
    let plugin: Box<dyn ResponsePlugin> = Box::new(load("rust", "flaky").await);
    let request = response_request(Method::GET, "/", &[("x-respond", "status-999")]);
    let err = plugin
        .can_handle(&context(), &request, &ResponsePluginConfig::default())
        .await
        .unwrap_err();
    let PluginError::ExecutionError { message } = &err else {
        panic!("not an execution error: {err:?}");
    };
    assert!(
        message.contains("flaky") && message.contains("status"),
        "{message}"
    );
}

#[tokio::test]
async fn an_auth_plugin_asked_to_respond_is_an_error_naming_it() {
    let plugin: Box<dyn ResponsePlugin> = Box::new(load("rust", "auth-jwt").await);
    let err = plugin
        .can_handle(
            &context(),
            &response_request(Method::GET, "/users/1", &[]),
            &ResponsePluginConfig::default(),
        )
        .await
        .unwrap_err();
    let PluginError::ExecutionError { message } = &err else {
        panic!("not an execution error: {err:?}");
    };
    assert!(
        message.contains("auth-jwt") && message.contains("respond"),
        "{message}"
    );
}
