// The registration calls: each adapts a plugin to the bindings the engine generates from
// wit/0.2.0. The component's export is the module's export named after the WIT interface, so a
// plugin module writes `export const auth = defineAuthPlugin({...})` or
// `export const responder = defineResponsePlugin({...})`.

import { PluginError } from "./errors.js";
import { Request } from "./request.js";
import { Abstain, Denial, Identity, Response } from "./values.js";

const ABSTAIN = Object.freeze({ tag: "abstain" });

/**
 * Define an auth plugin from `plugin.authenticate(req)`, which returns an `Identity` to allow
 * the request, a `Denial` to refuse it, or an `Abstain` when it carries no credentials of the
 * plugin's scheme. Missing or bad credentials of its own scheme are a denial, not an error:
 * throw a `PluginError` only when the plugin cannot decide.
 */
export function defineAuthPlugin(plugin) {
  if (typeof plugin?.authenticate !== "function") {
    throw new TypeError("defineAuthPlugin needs an object with an authenticate(req) method");
  }
  return {
    authenticate(handle) {
      return guard(() => authOutcome(call(handle, (req) => plugin.authenticate(req))));
    },
  };
}

// The WIT `auth-outcome` of what `authenticate` returned.
function authOutcome(outcome) {
  if (outcome instanceof Identity) {
    return {
      tag: "allow",
      val: {
        subject: outcome.subject,
        username: outcome.username ?? null,
        email: outcome.email ?? null,
        displayName: outcome.displayName ?? null,
        roles: list(outcome.roles),
        groups: list(outcome.groups),
        claims: claimsText(outcome.claims),
      },
    };
  }
  if (outcome instanceof Denial) {
    return {
      tag: "deny",
      val: { status: outcome.status, reason: outcome.reason, headers: list(outcome.headers) },
    };
  }
  if (outcome instanceof Abstain) return ABSTAIN;
  throw new Failure("internal", `authenticate returned ${describe(outcome)}, not an Identity, a Denial or an Abstain`);
}

/**
 * Define a response plugin. Both methods are optional: `respond(req)` returns a `Response`,
 * or `undefined` to let the next plugin or the default mock answer (the default);
 * `modify(req, resp)` returns the changed `Response` (by default `resp` as it is).
 */
export function defineResponsePlugin(plugin) {
  const respond = plugin?.respond?.bind(plugin) ?? (() => undefined);
  const modify = plugin?.modify?.bind(plugin) ?? ((_req, resp) => resp);
  return {
    respond(handle) {
      return guard(() => {
        const resp = call(handle, (req) => respond(req));
        return resp == null ? null : lower(resp);
      });
    },
    modify(handle, resp) {
      return guard(() => {
        const lifted = new Response(resp.status, resp.headers, resp.body);
        return lower(call(handle, (req) => modify(req, lifted)));
      });
    },
  };
}

function lower(resp) {
  if (!(resp instanceof Response)) {
    throw new Failure("internal", `expected a Response, got ${describe(resp)}`);
  }
  return { status: resp.status, headers: list(resp.headers), body: resp.body };
}

// The claims as the one JSON object the host takes: an object's JSON text, or a text as given.
function claimsText(claims) {
  if (typeof claims === "string") return claims;
  if (claims === null || typeof claims !== "object" || Array.isArray(claims)) {
    throw new Failure("internal", `the identity's claims must be an object, not ${describe(claims)}`);
  }
  return JSON.stringify(claims);
}

// The bindings read arrays; an array is passed as it is.
function list(items) {
  return Array.isArray(items) ? items : Array.from(items);
}

// Run the plugin function `f` on the request, then give the request back to the host, whatever
// happened.
function call(handle, f) {
  const req = new Request(handle);
  try {
    const result = f(req);
    if (typeof result?.then === "function") {
      throw new Failure("internal", "the plugin function returned a promise: plugin functions are synchronous");
    }
    return result;
  } catch (e) {
    throw asFailure(e);
  } finally {
    req.release();
  }
}

// Run an export's body: any exception becomes the `err` of its WIT result.
function guard(body) {
  try {
    return body();
  } catch (e) {
    throw asFailure(e);
  }
}

// A WIT `plugin-error`: the generated bindings turn a thrown object's `payload` into the `err`
// of the export's result.
class Failure {
  constructor(tag, message) {
    this.payload = { tag, val: message };
  }
}

function asFailure(e) {
  if (e instanceof Failure) return e;
  if (e instanceof PluginError) return new Failure(e.constructor.tag, e.message);
  // A bug in the plugin: report it as the plugin's internal error instead of trapping, so the
  // embedder sees what went wrong.
  return new Failure("internal", e instanceof Error ? `${e.name}: ${e.message}` : String(e));
}

function describe(value) {
  return value === null || typeof value !== "object" ? String(value) : (value.constructor?.name ?? "an object");
}
