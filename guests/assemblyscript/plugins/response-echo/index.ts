// A response plugin in MockForge's legacy convention for AssemblyScript: it exports
// `generate_response(input: string): string`, the request JSON in and MockForge's
// `ResponseData` out, as managed strings. The body echoes the request
// (tests/conformance/vectors/0.1/response-echo.json says exactly what); the query parameters
// `decline`, `fail` and `status` steer the answer. The body is written as a list of byte
// numbers, as serde writes a Rust `Vec<u8>`.

import { encodeUtf8, JsonObject, JsonParser, JsonWriter } from "../../sdk";

export function generate_response(input: string): string {
  const root = new JsonParser(input).parse();
  const request = root !== null ? root.asObject() : null;
  if (request === null) {
    return failure("invalid-request", "the host's input is not a JSON object");
  }
  const query = member(request, "query_params");
  if (text(query, "decline") == "1") {
    return "null";
  }
  const fail = text(query, "fail");
  if (fail == "config") return failure("invalid-config", "asked to fail");
  if (fail == "request") return failure("invalid-request", "asked to fail");
  const statusText = text(query, "status");
  const status: i64 = statusText.length > 0 && isInteger(statusText) ? I64.parseInt(statusText) : 200;
  const config = member(request, "config");
  const greeting = config !== null && config.has("greeting") ? text(config, "greeting") : "hello";

  const echo = new JsonWriter()
    .beginObject()
    .name("method").string(text(request, "method"))
    .name("path").string(text(request, "path"))
    .name("uri").string(text(request, "uri"))
    .name("q").string(text(query, "q"))
    .name("agent").string(text(member(request, "headers"), "user-agent"))
    .name("body_bytes").integer(base64Length(text(request, "body")))
    .name("greeting").string(greeting)
    .name("param_id").string(text(member(request, "path_params"), "id"))
    .name("caller").string(text(member(request, "auth_context"), "sub"))
    .endObject()
    .toString();
  const bytes = encodeUtf8(echo);
  const out = new JsonWriter(bytes.length * 4 + 256)
    .beginObject()
    .name("status_code").integer(status)
    .name("headers").beginObject().name("x-legacy-plugin").string("response-echo").endObject()
    .name("body").beginArray();
  for (let i = 0; i < bytes.length; i++) {
    out.integer(bytes[i]);
  }
  return out
    .endArray()
    .name("content_type").string("application/json")
    .name("cache_control").string("no-store")
    .endObject()
    .toString();
}

function member(object: JsonObject | null, name: string): JsonObject | null {
  if (object === null) return null;
  const value = object.get(name);
  return value !== null ? value.asObject() : null;
}

function text(object: JsonObject | null, name: string): string {
  if (object === null) return "";
  const value = object.getString(name);
  return value !== null ? value : "";
}

function isInteger(text: string): bool {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return text.length <= 9;
}

/** How many bytes the padded base64 text `encoded` holds. */
function base64Length(encoded: string): i64 {
  let padding = 0;
  while (padding < encoded.length && encoded.charCodeAt(encoded.length - 1 - padding) == 61) {
    padding++;
  }
  return <i64>((encoded.length / 4) * 3 - padding);
}

function failure(kind: string, message: string): string {
  return new JsonWriter()
    .beginObject()
    .name("plugin_error").beginObject()
    .name("kind").string(kind)
    .name("message").string(message)
    .endObject()
    .endObject()
    .toString();
}
