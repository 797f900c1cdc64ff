// JSON mock responses rendered from a template: see README.md for the configuration.

import { config, crypto, defineResponsePlugin, InternalError, InvalidConfig, Response } from "../../sdk/index.js";

import { render } from "./template.js";

const DEFAULT_STATUS = 200;

export const responder = defineResponsePlugin({
  respond(req) {
    // The host matched the route: the plugin answers for its own, or for every route when it
    // has none.
    const route = config.get("route");
    if (route !== undefined && req.route() !== route) return undefined;
    const status = loadStatus();
    const template = config.require("template");
    const values = new Values(req, unixNow());
    return Response.json(status, render(template, (name) => values.resolve(name)));
  },

  modify(_req, resp) {
    return resp.withHeader("x-mockforge-plugin", "response-template");
  },
});

function loadStatus() {
  const status = config.uint("status", 16);
  if (status === undefined) return DEFAULT_STATUS;
  if (status < 100 || status > 599) {
    throw new InvalidConfig(`config key \`status\` = ${status}: not an HTTP status`);
  }
  return status;
}

// What the placeholders of one response stand for.
class Values {
  constructor(req, now) {
    this.req = req;
    // One instant per response, so that `{{now}}` and `{{now_unix}}` agree.
    this.now = now;
    // Drawn at the first `{{uuid}}` and repeated after, so that a template may reuse it.
    this.uuid = undefined;
    // Asked of the host at the first `{{identity...}}`: `{ identity }`, undefined when none.
    this.caller = undefined;
  }

  // The value of placeholder `name`: `undefined` when the request lacks it (an absent path or
  // query parameter, header, identity or claim); `InvalidConfig` when the template names no
  // known value.
  resolve(name) {
    switch (name) {
      case "path":
        return this.req.path();
      case "method":
        return this.req.method();
      case "now":
        return rfc3339(this.now);
      case "now_unix":
        return String(this.now);
      case "uuid":
        this.uuid ??= uuidV4();
        return this.uuid;
    }
    const dot = name.indexOf(".");
    if (dot > 0) {
      const kind = name.slice(0, dot);
      const arg = name.slice(dot + 1);
      if (kind === "path") return this.req.pathParam(arg);
      if (kind === "query") return this.req.queryParam(arg);
      if (kind === "header") return this.req.header(arg);
      if (kind === "identity") return this.identityValue(name, arg);
    }
    throw badPlaceholder(name, "unknown placeholder");
  }

  // `subject`, `username` or `claims.NAME` of the caller's identity: a string claim's text, any
  // other claim as compact JSON.
  identityValue(name, field) {
    if (field !== "subject" && field !== "username" && !field.startsWith("claims.")) {
      throw badPlaceholder(name, "unknown placeholder");
    }
    this.caller ??= { identity: this.req.identity() };
    const identity = this.caller.identity;
    if (identity === undefined) return undefined;
    if (field === "subject") return identity.subject;
    if (field === "username") return identity.username;
    const claim = field.slice("claims.".length);
    if (!Object.hasOwn(identity.claims, claim)) return undefined;
    const value = identity.claims[claim];
    return typeof value === "string" ? value : JSON.stringify(value);
  }
}

function badPlaceholder(name, why) {
  return new InvalidConfig(`config key \`template\`: {{${name}}}: ${why}`);
}

function unixNow() {
  const now = Date.now();
  if (now < 0) throw new InternalError("the clock is before 1970");
  return Math.floor(now / 1000);
}

// `secs` since the Unix epoch as an RFC 3339 UTC timestamp, such as `2024-05-01T12:00:00Z`.
function rfc3339(secs) {
  const days = Math.floor(secs / 86400);
  const secsOfDay = secs % 86400;
  const [year, month, day] = civilFromDays(days);
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return (
    `${pad(year, 4)}-${pad(month)}-${pad(day)}T` +
    `${pad(Math.floor(secsOfDay / 3600))}:${pad(Math.floor(secsOfDay / 60) % 60)}:${pad(secsOfDay % 60)}Z`
  );
}

// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm).
function civilFromDays(days) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z % 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

// A random (version 4) UUID, from the host's random source (RFC 9562 section 5.4).
function uuidV4() {
  const b = crypto.randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  let out = "";
  for (let i = 0; i < 16; i++) out += (i === 4 || i === 6 || i === 8 || i === 10 ? "-" : "") + HEX[b[i]];
  return out;
}
