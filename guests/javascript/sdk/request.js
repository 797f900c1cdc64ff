// The request a plugin is called with.

import { Identity } from "./values.js";

/**
 * The host's request, handed to the plugin for one call. Each method asks the host for what
 * it returns, so a plugin copies into its memory only what it reads (an auth plugin that looks
 * at one header never pays for the body). An absent value is `undefined`.
 *
 * The SDK gives the request back to the host when the plugin function returns: keep what you
 * read, not the request (a method called afterwards throws).
 */
export class Request {
  #handle;

  /** Made by the SDK around the host's handle; plugins receive one, never make one. */
  constructor(handle) {
    this.#handle = handle;
  }

  /** The method, upper case as sent ("GET", "POST", ...). */
  method() {
    return this.#handle.method();
  }

  /** The path, without the query string, as sent (percent-encoding preserved). */
  path() {
    return this.#handle.path();
  }

  /** The raw query string without the leading `?`; "" when there is none. */
  query() {
    return this.#handle.query();
  }

  /** The first value of query parameter `name`, percent-decoded. */
  queryParam(name) {
    return this.#handle.queryParam(name) ?? undefined;
  }

  /** Every header as [name, value] pairs in the order received; duplicate names are kept. */
  headers() {
    return this.#handle.headers();
  }

  /** The first value of header `name` (compared case-insensitively). */
  header(name) {
    return this.#handle.header(name) ?? undefined;
  }

  /** Every value of header `name` (compared case-insensitively), in the order received. */
  headerAll(name) {
    return this.#handle.headerAll(name);
  }

  /** The body bytes (a `Uint8Array`, empty when there is none). */
  body() {
    return this.#handle.body();
  }

  /** The client's address (`ip:port`) when the embedder knows it. */
  clientAddr() {
    return this.#handle.clientAddr() ?? undefined;
  }

  /** The request's id, unique per request within the embedder's run (the `x-request-id` the
   * client sent, or one the embedder made); "" when the embedder has none. */
  id() {
    return this.#handle.id();
  }

  /** The template of the route the request matched ("/users/{id}"); `undefined` before route
   * matching (in auth plugins) or when no route matched. */
  route() {
    return this.#handle.route() ?? undefined;
  }

  /** The matched route's path parameters as [name, value] pairs in template order,
   * percent-decoded (`[["id", "42"]]` for /users/42 on /users/{id}); empty when no route
   * matched. */
  pathParams() {
    return this.#handle.pathParams();
  }

  /** The value of the matched route's path parameter `name`. */
  pathParam(name) {
    return this.#handle.pathParam(name) ?? undefined;
  }

  /** Who the auth chain said the caller is (an `Identity`, its claims an object), for response
   * plugins; `undefined` in auth plugins and when no auth plugin allowed the request. */
  identity() {
    const id = this.#handle.identity();
    if (id == null) return undefined;
    return new Identity(id.subject, {
      username: id.username ?? undefined,
      email: id.email ?? undefined,
      displayName: id.displayName ?? undefined,
      roles: id.roles,
      groups: id.groups,
      // The host checked that the claims are a JSON object (or empty).
      claims: id.claims === "" ? {} : JSON.parse(id.claims),
    });
  }

  /** Give the handle back to the host; the SDK does it when the plugin function returns. */
  release() {
    const handle = this.#handle;
    this.#handle = RELEASED;
    handle[DISPOSE]();
  }
}

// The symbol the engines' bindings put the resource's drop under (one engine predates
// `Symbol.dispose` and uses the registered symbol instead).
const DISPOSE = Symbol.dispose ?? Symbol.for("dispose");

const released = () => {
  throw new TypeError("the request was used after its call returned");
};
// What a released request's methods reach: every method throws.
const RELEASED = new Proxy({}, { get: () => released });
