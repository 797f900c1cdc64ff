// The registration calls: each adapts a plugin to the bindings componentize-js generates from
// wit/. The component's export is the module's export named after the WIT interface, so a
// plugin module writes `export const auth = defineAuthPlugin({...})` or
// `export const responder = defineResponsePlugin({...})`.

import { PluginError } from "./errors.js";
import { Denial, Identity, Response } from "./values.js";

/**
 * Define an auth plugin from `plugin.authenticate(req)`, which returns an `Identity` to allow
 * the request or a `Denial` to refuse it (or a promise of one: the export awaits it).
 * Missing or bad credentials are a denial, not an error: throw a `PluginError` only when the
 * plugin cannot decide.
 */
export function defineAuthPlugin(plugin) {
  if (typeof plugin?.authenticate !== "function") {
    throw new TypeError("defineAuthPlugin needs an object with an authenticate(req) method");
  }
  return {
    async authenticate(req) {
      const outcome = await call(() => plugin.authenticate(req));
      if (outcome instanceof Identity) {
        return {
          tag: "allow",
          val: {
            subject: outcome.subject,
            username: outcome.username ?? undefined,
            email: outcome.email ?? undefined,
            displayName: outcome.displayName ?? undefined,
            roles: list(outcome.roles),
            groups: list(outcome.groups),
            claims: list(outcome.claims),
          },
        };
      }
      if (outcome instanceof Denial) {
        return {
          tag: "deny",
          val: { status: outcome.status, reason: outcome.reason, headers: list(outcome.headers) },
        };
      }
      throw failure("internal", `authenticate returned ${describe(outcome)}, not an Identity or a Denial`);
    },
  };
}

/**
 * Define a response plugin. Both methods are optional: `respond(req)` returns a `Response`,
 * or `undefined` to let the next plugin or the default mock answer (the default);
 * `modify(req, resp)` returns the changed `Response` (by default `resp` as it is). Either may
 * return a promise instead.
 */
export function defineResponsePlugin(plugin) {
  const respond = plugin?.respond?.bind(plugin) ?? (() => undefined);
  const modify = plugin?.modify?.bind(plugin) ?? ((_req, resp) => resp);
  return {
    async respond(req) {
      const resp = await call(() => respond(req));
      return resp == null ? undefined : lower(resp);
    },
    async modify(req, resp) {
      const lifted = new Response(resp.status, resp.headers, resp.body);
      return lower(await call(() => modify(req, lifted)));
    },
  };
}

function lower(resp) {
  if (!(resp instanceof Response)) {
    throw failure("internal", `expected a Response, got ${describe(resp)}`);
  }
  return { status: resp.status, headers: list(resp.headers), body: resp.body };
}

// The bindings read arrays; an array is passed as it is, since copying one costs an
// interpreted loop.
function list(items) {
  return Array.isArray(items) ? items : Array.from(items);
}

async function call(f) {
  try {
    return await f();
  } catch (e) {
    if (e instanceof PluginError) throw failure(e.constructor.tag, e.message);
    // A bug in the plugin: report it as the plugin's internal error instead of trapping, so
    // the embedder sees what went wrong.
    throw failure("internal", e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
}

// The generated bindings turn a thrown object's `payload` into the `err` of a WIT result.
function failure(tag, message) {
  return { payload: { tag, val: message } };
}

function describe(value) {
  return value === null || typeof value !== "object" ? String(value) : value.constructor?.name ?? "an object";
}
