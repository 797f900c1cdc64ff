//! What a WebAssembly plugin answers and writes is validated and bounded by the host: answers
//! that are not valid HTTP are typed errors naming the field, a huge error message is cut
//! with a marker, and a plugin's log and stdout are capped per call. The `flaky` test plugin
//! answers as each request's headers choose.

use mockforge_component_host::{
    AnswerLimits, Error, ErrorKind, HostConfig, OutputLimits, Plugin, PluginError, Request,
    Response, MAX_ERROR_MESSAGE_BYTES,
};
use mockforge_component_tests::{captured_logs, host_with, plugin_dir};

async fn flaky(config: HostConfig) -> Plugin {
    host_with(config)
        .load(plugin_dir("flaky"))
        .await
        .expect("flaky loads")
}

fn invalid_field(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::InvalidAnswer { plugin, field, .. }) => {
            assert_eq!(plugin, "flaky");
            field
        }
        other => panic!("not an invalid answer: {other:?}"),
    }
}

fn with(header: &str, value: &str) -> Request {
    Request::new("GET", "/r/1").with_header(header, value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_component_answer_that_is_not_valid_http_is_an_invalid_answer_naming_the_field() {
    let plugin = flaky(HostConfig::default()).await;

    assert_eq!(
        invalid_field(plugin.authenticate(with("x-auth", "deny-200")).await),
        "denial.status"
    );
    assert_eq!(
        invalid_field(plugin.authenticate(with("x-auth", "deny-crlf")).await),
        "denial.headers[0].value"
    );
    assert_eq!(
        invalid_field(plugin.respond(with("x-respond", "status-999")).await),
        "response.status"
    );
    let field = invalid_field(plugin.respond(with("x-respond", "crlf")).await);
    assert!(
        field.starts_with("response.headers[") && field.ends_with("].value"),
        "{field}"
    );
    let field = invalid_field(plugin.respond(with("x-respond", "empty-name")).await);
    assert!(
        field.starts_with("response.headers[") && field.ends_with("].name"),
        "{field}"
    );

    // `modify` hands back the response it was given (plus a header): whatever the embedder's
    // mock was, what the plugin answers is checked.
    let cases = [
        (0, ("x-a", "1"), "response.status"),
        (65535, ("x-a", "1"), "response.status"),
        (200, ("a\r\nX-Evil: 1", "1"), "response.headers[0].name"),
        (200, ("x-a", "nul\0"), "response.headers[0].value"),
        (200, ("x-a", "1\r\nX-Evil: 1"), "response.headers[0].value"),
    ];
    for (status, (name, value), field) in cases {
        let mock = Response {
            status,
            headers: vec![(name.into(), value.into())],
            body: Vec::new(),
        };
        let answer = plugin.modify(Request::new("GET", "/"), mock).await;
        assert_eq!(invalid_field(answer), field, "{status} {name:?} {value:?}");
    }
    assert_eq!(
        invalid_field(plugin.modify(with("x-modify", "crlf"), ok_mock()).await),
        "response.headers[1].value"
    );

    // Valid answers pass untouched, and the instance stays usable.
    let ok = plugin
        .respond(with("x-respond", "ok"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ok.status, 200);
    let metrics = plugin.metrics();
    assert_eq!(metrics.errors[&ErrorKind::InvalidAnswer], 11);
}

fn ok_mock() -> Response {
    Response {
        status: 200,
        headers: vec![("x-a".into(), "1".into())],
        body: b"mock".to_vec(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_configured_cap_is_an_invalid_answer() {
    let plugin = flaky(HostConfig::default().answer_limits(AnswerLimits {
        max_body_bytes: 1 << 20,
        ..AnswerLimits::default()
    }))
    .await;
    match plugin.respond(with("x-respond", "big")).await {
        Err(Error::InvalidAnswer { field, reason, .. }) => {
            assert_eq!(field, "response.body");
            assert_eq!(reason, "2097152 bytes, over the cap of 1048576 bytes");
        }
        other => panic!("{other:?}"),
    }
    // The default cap (16 MiB) lets the same body through.
    let plugin = flaky(HostConfig::default()).await;
    let big = plugin.respond(with("x-respond", "big")).await.unwrap();
    assert_eq!(big.unwrap().body.len(), 2 << 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_plugin_error_message_is_truncated_with_a_marker() {
    let plugin = flaky(HostConfig::default()).await;
    match plugin.respond(with("x-noise", "error:20000000")).await {
        Err(Error::Plugin {
            error: PluginError::Internal(message),
            ..
        }) => {
            assert!(
                message.len() <= MAX_ERROR_MESSAGE_BYTES + 64,
                "{}",
                message.len()
            );
            assert!(message.starts_with("eeee"));
            assert!(
                message.ends_with("… [truncated, 20000000 bytes]"),
                "{}",
                &message[message.len() - 60..]
            );
        }
        other => panic!("{:?}", other.map_err(|e| e.kind())),
    }
    match plugin.respond(with("x-noise", "error:100")).await {
        Err(Error::Plugin {
            error: PluginError::Internal(message),
            ..
        }) => assert_eq!(message, "e".repeat(100), "a short message is intact"),
        other => panic!("{other:?}"),
    }
}

/// The lines of `logs` written after byte `from` that mention `needle`.
fn lines_after<'a>(logs: &'a str, from: usize, needle: &str) -> Vec<&'a str> {
    logs[from..]
        .lines()
        .filter(|l| l.contains(needle))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_records_fields_and_stdout_are_capped_per_call_with_one_marker() {
    let logs = captured_logs();
    let plugin = flaky(HostConfig::default().output_limits(OutputLimits {
        max_log_records: 100,
        ..OutputLimits::default()
    }))
    .await;
    let call = |noise: &'static str| {
        let plugin = plugin.clone();
        async move {
            plugin
                .respond(with("x-noise", noise))
                .await
                .unwrap_or_else(|e| panic!("{noise}: {e}"))
                .expect("a response");
        }
    };

    // One record with 10,000 fields: one bounded record, the rest noted as dropped.
    let start = logs.text().len();
    call("fields:10000").await;
    let text = logs.text();
    let records = lines_after(&text, start, "many fields");
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(records[0].len() < 12 << 10, "{} bytes", records[0].len());
    assert!(
        records[0].contains("[9936 more fields dropped]"),
        "{}",
        &records[0][records[0].len() - 200..]
    );

    // 5,000 records: 100 kept, then one marker saying how many were dropped.
    let start = logs.text().len();
    call("records:5000").await;
    let text = logs.text();
    assert_eq!(lines_after(&text, start, "record ").len(), 100);
    let markers = lines_after(&text, start, "per-call caps was dropped");
    assert_eq!(markers.len(), 1, "{markers:?}");
    assert!(markers[0].contains("4900 log records"), "{}", markers[0]);

    // The next call has a full budget again.
    let start = logs.text().len();
    call("records:50").await;
    let text = logs.text();
    assert_eq!(lines_after(&text, start, "record ").len(), 50);
    assert!(lines_after(&text, start, "per-call caps was dropped").is_empty());

    // A huge message is cut.
    let start = logs.text().len();
    call("message:10000000").await;
    let text = logs.text();
    let records = lines_after(&text, start, "mmmmmmmm");
    assert_eq!(records.len(), 1);
    assert!(records[0].len() < 9 << 10, "{} bytes", records[0].len());

    // 5 MB of stdout: 1 MiB read at most, 100 lines emitted, the rest reported.
    let start = logs.text().len();
    call("stdout:5000000").await;
    let text = logs.text();
    assert_eq!(lines_after(&text, start, "ooooooooooooo").len(), 100);
    let markers = lines_after(&text, start, "per-call caps was dropped");
    assert_eq!(markers.len(), 1, "{markers:?}");
    let dropped_output = 5_000_000 - (1 << 20);
    assert!(
        markers[0].contains(&format!("and {dropped_output} bytes of stdout")),
        "{}",
        markers[0]
    );
    // Other tests' records (the compiler's, say) share the capture: count the plugin's only.
    let plugin_bytes: usize = lines_after(&text, start, "plugin=\"flaky\"")
        .iter()
        .map(|l| l.len())
        .sum();
    assert!(plugin_bytes < 200 << 10, "{plugin_bytes} bytes logged");
}
