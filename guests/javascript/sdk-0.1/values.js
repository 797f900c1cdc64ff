// What plugins return: identities, denials and responses.

/** Who a request is. `claims` are [name, JSON text] pairs: a JSON string keeps its quotes. */
export class Identity {
  constructor(subject, { username, email, displayName, roles = [], groups = [], claims = [] } = {}) {
    this.subject = subject;
    this.username = username;
    this.email = email;
    this.displayName = displayName;
    this.roles = roles;
    this.groups = groups;
    this.claims = claims;
  }
}

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

/** An HTTP response. Headers are [name, value] pairs in order; duplicate names are allowed. */
export class Response {
  constructor(status, headers = [], body = new Uint8Array()) {
    this.status = status;
    this.headers = headers;
    this.body = typeof body === "string" ? encodeUtf8(body) : body;
  }

  /** A response with `content-type: application/json` and the JSON text `body`. */
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

const ENCODER = new TextEncoder();

/** `text` as UTF-8 bytes (a lone surrogate becomes U+FFFD). */
export function encodeUtf8(text) {
  return ENCODER.encode(text);
}
