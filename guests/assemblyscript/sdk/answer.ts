// The family-A answer: the outcome as the JSON object the host's translator reads (MockForge's
// `AuthResponse` keys, plus `plugin_error`).

import { Identity } from "./identity";
import { JsonWriter } from "./json/writer";
import { Outcome } from "./outcome";

/** `outcome` as the answer JSON text. */
export function answer(outcome: Outcome): string {
  const out = new JsonWriter();
  out.beginObject();
  const identity = outcome.identity;
  const denial = outcome.denial;
  const error = outcome.error;
  if (identity !== null) {
    out.name("authenticated").bool(true);
    writeIdentity(out, identity);
  } else if (denial !== null) {
    out.name("authenticated").bool(false);
    out.name("error_message").string(denial.reason);
    out.name("metadata").beginObject();
    out.name("status").integer(denial.status);
    if (denial.headers.length > 0) {
      out.name("headers").beginObject();
      for (let i = 0; i < denial.headers.length; i++) {
        const header = unchecked(denial.headers[i]);
        out.name(header.name).string(header.value);
      }
      out.endObject();
    }
    out.endObject();
  } else if (error !== null) {
    out.name("plugin_error").beginObject();
    out.name("kind").string(error.kindName());
    out.name("message").string(error.message);
    out.endObject();
  }
  out.endObject();
  return out.toString();
}

function writeIdentity(out: JsonWriter, identity: Identity): void {
  out.name("identity").beginObject();
  out.name("user_id").string(identity.subject);
  optional(out, "username", identity.username);
  optional(out, "email", identity.email);
  optional(out, "display_name", identity.displayName);
  strings(out, "roles", identity.roles);
  strings(out, "groups", identity.groups);
  out.endObject();
  out.name("claims").beginObject();
  for (let i = 0; i < identity.claims.length; i++) {
    const claim = unchecked(identity.claims[i]);
    out.name(claim.name).raw(claim.json);
  }
  out.endObject();
}

function optional(out: JsonWriter, name: string, value: string | null): void {
  if (value !== null) out.name(name).string(value);
}

function strings(out: JsonWriter, name: string, values: Array<string>): void {
  if (values.length == 0) return;
  out.name(name).beginArray();
  for (let i = 0; i < values.length; i++) out.string(unchecked(values[i]));
  out.endArray();
}
