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
      const outcome = call(plugin, plugin.authenticate, handle);
      try {
        return authOutcome(outcome);
      } catch (e) {
        throw asFailure(e);
      }
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
        roles: Array.isArray(outcome.roles) ? outcome.roles : Array.from(outcome.roles),
        groups: Array.isArray(outcome.groups) ? outcome.groups : Array.from(outcome.groups),
        claims: typeof outcome.claims === "string" ? outcome.claims : claimsText(outcome.claims),
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
  const respond = plugin?.respond ?? (() => undefined);
  const modify = plugin?.modify ?? ((_req, resp) => resp);
  return {
    respond(handle) {
      const resp = call(plugin, respond, handle);
      try {
        return resp == null ? null : lower(resp);
      } catch (e) {
        throw asFailure(e);
      }
    },
    modify(handle, resp) {
      const lifted = new Response(resp.status, resp.headers, resp.body);
      const changed = call(plugin, modify, handle, lifted);
      try {
        return lower(changed);
      } catch (e) {
        throw asFailure(e);
      }
    },
  };
}

function lower(resp) {
  if (!(resp instanceof Response)) {
    throw new Failure("internal", `expected a Response, got ${describe(resp)}`);
  }
  return { status: resp.status, headers: list(resp.headers), body: resp.body };
}

// The claims object as the JSON text the host takes.
function claimsText(claims) {
  if (claims === null || typeof claims !== "object" || Array.isArray(claims)) {
    throw new Failure("internal", `the identity's claims must be an object, not ${describe(claims)}`);
  }
  return JSON.stringify(claims);
}

// The bindings read arrays; an array is passed as it is.
function list(items) {
  return Array.isArray(items) ? items : Array.from(items);
}

// Call `plugin.method(req, extra)` on the request, then give the request back to the host,
// whatever happened. An exception becomes the `err` of the WIT result.
function call(plugin, method, handle, extra) {
  const req = new Request(handle);
  let result;
  try {
    result = method.call(plugin, req, extra);
  } catch (e) {
    req.release();
    throw asFailure(e);
  }
  req.release();
  if (typeof result?.then === "function") {
    throw new Failure("internal", "the plugin function returned a promise: plugin functions are synchronous");
  }
  return result;
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
