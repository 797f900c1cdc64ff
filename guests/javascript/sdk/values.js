// What plugins return: identities, denials, abstentions and responses.

import { encode } from "./utf8.js";

/**
 * Who a request is. `claims` is one JSON object: a plain object (`{ tenant: "acme", scope:
 * ["read"] }`), sent to the host as `JSON.stringify` writes it, or the JSON text of one, sent
 * as it is (a plugin that read the claims from JSON text saves writing them again; the host
 * refuses a text that is not a JSON object); `{}` when there are none. An identity the SDK
 * reads from the host (`req.identity()`) always has an object.
 */
export class Identity {
  /** `options`: `username`, `email`, `displayName` (each optional), `roles` and `groups`
   * (arrays of strings, empty by default), `claims` (`{}` by default). */
  constructor(subject, options = NO_OPTIONS) {
    // Read one by one rather than destructured with defaults: QuickJS interprets the latter
    // as many more steps, on every call of an auth plugin.
    this.subject = subject;
    this.username = options.username;
    this.email = options.email;
    this.displayName = options.displayName;
    this.roles = options.roles ?? [];
    this.groups = options.groups ?? [];
    this.claims = options.claims ?? {};
  }
}

const NO_OPTIONS = Object.freeze({});

/** A refusal with an HTTP `status`, a `reason` the client may see, and [name, value] headers
 * to add to the answer (such as `WWW-Authenticate`). */
export class Denial {
  constructor(status, reason, headers = []) {
    this.status = status;
    this.reason = reason;
    this.headers = headers;
  }

  /** Add a header and return the denial. */
  withHeader(name, value) {
    this.headers.push([name, value]);
    return this;
  }
}

/** Not this plugin's scheme: the request carries no credentials it understands, and the auth
 * chain goes on to the next plugin (when every plugin abstains, the embedder decides). A
 * request with bad credentials of the plugin's own scheme is a `Denial`, not this. */
export class Abstain {}

/** An HTTP response. Headers are [name, value] pairs in order; duplicate names are allowed. */
export class Response {
  constructor(status, headers = [], body = new Uint8Array()) {
    this.status = status;
    this.headers = headers;
    this.body = typeof body === "string" ? encode(body) : body;
  }

  /** A response with `content-type: application/json` and the JSON text (or bytes) `body`. */
  static json(status, body) {
    return new Response(status, [["content-type", "application/json"]], body);
  }

  /** A response with `content-type: text/plain; charset=utf-8` and `body`. */
  static text(status, body) {
    return new Response(status, [["content-type", "text/plain; charset=utf-8"]], body);
  }

  /** Add a header after those present (an existing one of that name stays); returns `this`. */
  withHeader(name, value) {
    this.headers.push([name, value]);
    return this;
  }

  /** The first value of header `name`, compared ASCII-case-insensitively, or `undefined`. */
  header(name) {
    const wanted = asciiLower(name);
    return this.headers.find(([n]) => asciiLower(n) === wanted)?.[1];
  }
}

function asciiLower(text) {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}
