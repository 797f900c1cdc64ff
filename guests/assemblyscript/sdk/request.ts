import { decodeStandard } from "./base64";
import { Config } from "./config";
import { JsonKind, JsonObject, JsonValue } from "./json/value";

/** One request header. */
export class Header {
  constructor(public name: string, public value: string) {}
}

/** The request a plugin decides on, as the host describes it in the family-A input JSON.
 * Each part is read from the input when first asked for, so a plugin pays only for what it
 * looks at. Keys are read at the top level, and from `context` when missing there. */
export class Request {
  private context: JsonObject | null;
  private headerTable: JsonObject | null = null;
  private headersRead: bool = false;
  private configValue: Config | null = null;

  /** The request the input object `input` describes. */
  constructor(private input: JsonObject) {
    const context = input.get("context");
    this.context = context !== null ? context.asObject() : null;
  }

  /** The HTTP method, such as `GET`. */
  get method(): string {
    return text(this.member("method"));
  }

  /** The path and, after `?`, the query. */
  get uri(): string {
    return text(this.member("uri"));
  }

  /** The path: the URI up to its query. */
  get path(): string {
    const uri = this.uri;
    const query = uri.indexOf("?");
    return query < 0 ? uri : uri.substring(0, query);
  }

  /** The client's IP address, when the host knows it. */
  get clientIp(): string | null {
    const value = this.member("client_ip");
    return value !== null ? value.asString() : null;
  }

  /** The plugin's manifest `[config]`. */
  get config(): Config {
    let config = this.configValue;
    if (config === null) {
      config = new Config(object(this.member("config")));
      this.configValue = config;
    }
    return config;
  }

  /** The host's clock: milliseconds since the Unix epoch, from the input key `now_unix_ms`,
   * or NaN when the host sent none. A family-A module has no clock of its own: AssemblyScript's
   * `Date.now()` would import `env.Date.now`, which the host does not provide. */
  get nowUnixMs(): f64 {
    const now = this.input.get("now_unix_ms");
    return now !== null ? now.asNumber() : NaN;
  }

  /** Whether the host sent its clock (`now_unix_ms`). */
  hasClock(): bool {
    return !isNaN(this.nowUnixMs);
  }

  /** The first value of header `name` (compared without ASCII case), or null. */
  header(name: string): string | null {
    const table = this.headerObject();
    if (table === null) return null;
    const value = table.getIgnoreAsciiCase(name);
    return value !== null ? value.asString() : null;
  }

  /** Every header, names lowercased by the host, in the order it sent them. */
  headers(): Array<Header> {
    const headers = new Array<Header>();
    const table = this.headerObject();
    if (table === null) return headers;
    const members = table.members();
    for (let i = 0; i < members.length; i++) {
      const member = unchecked(members[i]);
      const value = member.value.asString();
      if (value !== null) headers.push(new Header(member.name, value));
    }
    return headers;
  }

  /** The first value of query parameter `name`, or null. */
  queryParam(name: string): string | null {
    const table = object(this.member("query_params"));
    if (table === null) return null;
    const value = table.get(name);
    return value !== null ? value.asString() : null;
  }

  /** The body bytes, decoded from the input's base64 on each call; an unreadable body reads
   * as empty. */
  body(): Uint8Array {
    const body = this.member("body");
    const encoded = body !== null ? body.asString() : null;
    if (encoded === null) return new Uint8Array(0);
    const bytes = decodeStandard(encoded);
    return bytes !== null ? bytes : new Uint8Array(0);
  }

  private headerObject(): JsonObject | null {
    if (!this.headersRead) {
      this.headerTable = object(this.member("headers"));
      this.headersRead = true;
    }
    return this.headerTable;
  }

  private member(key: string): JsonValue | null {
    const value = this.input.get(key);
    const context = this.context;
    if (value !== null || context === null) return value;
    return context.get(key);
  }
}

function text(value: JsonValue | null): string {
  if (value === null) return "";
  const text = value.asString();
  return text !== null ? text : "";
}

function object(value: JsonValue | null): JsonObject | null {
  return value !== null && value.kind == JsonKind.Object ? value.asObject() : null;
}
