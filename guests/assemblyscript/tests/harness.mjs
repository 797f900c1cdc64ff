// What the tests share: instantiating a family-A module the way the host's adapter does,
// the family-A input JSON the translator builds from a conformance request, and the
// translator's reading of the answer, so that an answer can be compared with a vector's
// `expect`.

import { readFileSync } from "node:fs";
import { join } from "node:path";

/** An `env.abort` call, as the host turns it into a trap: the decoded message, file, line
 * and column. */
export class AbortError extends Error {
  constructor(message, file, line, column) {
    super(`abort: ${message} (${file}:${line}:${column})`);
    this.abortMessage = message;
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** AssemblyScript's class id of `String` (1 is `ArrayBuffer`). */
const STRING_CLASS_ID = 2;

/** UTF-16LE that refuses lone surrogates, as the canonical ABI does, and keeps a leading
 * U+FEFF as the character it is. */
const UTF16 = new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true });

/** A family-A module instantiated with only `env.abort`, as the host instantiates it. */
export class Plugin {
  constructor(bytes) {
    const module = new WebAssembly.Module(bytes);
    this.imports = WebAssembly.Module.imports(module);
    this.exportNames = WebAssembly.Module.exports(module).map((e) => e.name);
    const abort = (message, file, line, column) => {
      throw new AbortError(this.readString(message), this.readString(file), line, column);
    };
    this.instance = new WebAssembly.Instance(module, { env: { abort } });
    this.exports = this.instance.exports;
  }

  static load(path) {
    return new Plugin(readFileSync(path));
  }

  get memory() {
    return this.exports.memory;
  }

  /** A new managed String holding `text`, allocated as the adapter does: `__new(bytes, 2)`. */
  newString(text) {
    const bytes = Buffer.from(text, "utf16le");
    const ptr = this.exports.__new(bytes.length, STRING_CLASS_ID) >>> 0;
    new Uint8Array(this.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  /** The managed String at `ptr`: its byte length is the u32 at `ptr - 4`. Lone surrogates
   * are refused, as the canonical ABI refuses them. */
  readString(ptr) {
    ptr >>>= 0;
    if (ptr === 0) return null;
    const buffer = this.memory.buffer;
    const length = new DataView(buffer).getUint32(ptr - 4, true);
    return UTF16.decode(new Uint8Array(buffer, ptr, length));
  }

  /** Call the string-to-string export `name` as the adapter does: allocate and pin the
   * input, call, unpin, read the returned String. */
  call(name, input) {
    const ptr = this.newString(input);
    this.exports.__pin(ptr);
    let out;
    try {
      out = this.exports[name](ptr);
    } finally {
      this.exports.__unpin(ptr);
    }
    return this.readString(out);
  }

  authenticate(input) {
    return this.call("authenticate", input);
  }
}

// ---------------------------------------------------------------------------------------
// The manifest's [config], as the host reads it: every value a string.

/** The `[config]` table of a plugin.toml, values converted to strings as the host does
 * (a TOML integer as its decimal text, a boolean as `true`/`false`). Covers the TOML the
 * manifests use: bare or quoted keys; basic and literal strings, integers, floats, booleans. */
export function manifestConfig(path) {
  const config = new Map();
  let table = "";
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      table = header[1].trim();
      continue;
    }
    if (table !== "config") continue;
    const eq = line.indexOf("=");
    if (eq < 0) throw new Error(`${path}: cannot read \`${line}\``);
    let key = line.slice(0, eq).trim();
    if (key.startsWith('"')) key = JSON.parse(key);
    config.set(key, tomlValueText(line.slice(eq + 1).trim(), path));
  }
  return config;
}

function tomlValueText(text, path) {
  const value = text.replace(/\s+#.*$/, "");
  if (value.startsWith('"')) return JSON.parse(value);
  if (value.startsWith("'")) return value.slice(1, value.lastIndexOf("'"));
  if (value === "true" || value === "false") return value;
  if (/^[+-]?\d[\d_]*$/.test(value)) return BigInt(value.replace(/_/g, "").replace(/^\+/, "")).toString();
  if (/^[+-]?[\d_]+(\.[\d_]+)?([eE][+-]?\d+)?$/.test(value)) return String(Number(value.replace(/_/g, "")));
  throw new Error(`${path}: unsupported TOML value ${value}`);
}

/** The staged `[config]` with a vector's changes: a string sets a key, null removes it. */
export function configFor(base, changes) {
  const config = new Map(base);
  for (const [key, value] of Object.entries(changes ?? {})) {
    if (value === null) config.delete(key);
    else config.set(key, value);
  }
  // The host keeps the table in a BTreeMap, so it lists keys in byte order.
  return new Map([...config].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// ---------------------------------------------------------------------------------------
// The family-A input JSON, as the translator (adapters/translator) builds it.

/** A conformance request's body bytes. */
export function requestBody(request) {
  if (request.body_base64 !== undefined) return Buffer.from(request.body_base64, "base64");
  if (request.body_repeat !== undefined) {
    return Buffer.alloc(request.body_repeat.count, request.body_repeat.byte);
  }
  return Buffer.from(request.body ?? "", "utf8");
}

/** The input object for `authenticate`, as JSON text, with keys in the translator's order;
 * `nowUnixMs` (when not undefined) becomes `now_unix_ms`. As the translator sends it to a
 * family-A module, the text is ASCII: every other character is a `\u` escape. */
export function legacyInput(request, config, nowUnixMs) {
  const query = request.query ?? "";
  const uri = query === "" ? request.path : `${request.path}?${query}`;
  const headers = new Map();
  for (const [name, value] of request.headers ?? []) {
    // The first value of a repeated header; names lowercased (ASCII only, as Rust does).
    const key = name.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (!headers.has(key)) headers.set(key, value);
  }
  const queryParams = new Map();
  for (const pair of query.split("&").filter((p) => p !== "")) {
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (!queryParams.has(name)) queryParams.set(name, queryParam(query, name) ?? "");
  }
  const userAgent = firstHeader(request.headers ?? [], "user-agent");
  const body = requestBody(request).toString("base64");
  const context = object([
    ["method", str(request.method)],
    ["uri", str(uri)],
    ["headers", stringMap(headers)],
    ["body", str(body)],
    ["config", stringMap(config)],
  ]);
  const members = [
    ["context", context],
    ["method", str(request.method)],
    ["uri", str(uri)],
    ["query_params", stringMap(queryParams)],
    ["client_ip", clientIp(request.client_addr)],
    ["user_agent", userAgent === null ? "null" : str(userAgent)],
    ["headers", stringMap(headers)],
    ["body", str(body)],
    ["config", stringMap(config)],
  ];
  if (nowUnixMs !== undefined) members.push(["now_unix_ms", String(nowUnixMs)]);
  return asciiJson(object(members));
}

/** `json` with every non-ASCII UTF-16 code unit written as a `\u` escape: the same value.
 * Outside strings JSON text is ASCII already. */
function asciiJson(json) {
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const str = (text) => JSON.stringify(text);
const object = (members) => `{${members.map(([k, v]) => `${str(k)}:${v}`).join(",")}}`;
const stringMap = (map) => object([...map].map(([k, v]) => [k, str(v)]));

function firstHeader(headers, name) {
  const found = headers.find(([n]) => n.toLowerCase() === name);
  return found === undefined ? null : found[1];
}

function clientIp(addr) {
  if (addr === undefined || addr === null) return "null";
  const colon = addr.lastIndexOf(":");
  if (colon >= 0 && /^[0-9]*$/.test(addr.slice(colon + 1))) {
    return str(addr.slice(0, colon).replace(/^\[+/, "").replace(/\]+$/, ""));
  }
  return str(addr);
}

/** The host's `Request::query_param`: the first pair whose decoded name is `name`. */
function queryParam(query, name) {
  for (const pair of query.split("&").filter((p) => p !== "")) {
    const eq = pair.indexOf("=");
    const [key, value] = eq < 0 ? [pair, ""] : [pair.slice(0, eq), pair.slice(eq + 1)];
    if (percentDecode(key) === name) return percentDecode(value);
  }
  return null;
}

function percentDecode(text) {
  const bytes = Buffer.from(text, "utf8");
  const out = [];
  const hex = (b) => (b >= 0x30 && b <= 0x39 ? b - 0x30 : (b | 0x20) >= 0x61 && (b | 0x20) <= 0x66 ? (b | 0x20) - 0x57 : -1);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x2b) out.push(0x20);
    else if (b === 0x25 && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
      out.push((hex(bytes[i + 1]) << 4) | hex(bytes[i + 2]));
      i += 2;
    } else out.push(b);
  }
  return Buffer.from(out).toString("utf8");
}

// ---------------------------------------------------------------------------------------
// The translator's reading of the answer, in the vector format.

/** serde_json's default recursion limit, which the translator parses the answer with. */
export const SERDE_MAX_DEPTH = 127;

/** The outcome an answer stands for, in the vector `expect` format, as the translator reads
 * it (plus `plugin_error`, which the contract adds). */
export function outcomeOf(answerText) {
  const answer = parseSerde(answerText);
  if (!(answer instanceof Map)) throw new Error(`the answer is not a JSON object: ${answerText}`);
  const pluginError = answer.get("plugin_error");
  if (pluginError !== undefined) return { error: pluginError.get("kind") };
  const authenticated = answer.get("authenticated");
  if (typeof authenticated !== "boolean") throw new Error(`no boolean \`authenticated\`: ${answerText}`);
  if (!authenticated) {
    const metadata = answer.get("metadata");
    const status = metadata?.get("status");
    const headers = metadata?.get("headers");
    return {
      deny: {
        status: status === undefined || status === null ? 401 : Number(status.number),
        reason: answer.get("error_message") ?? "unauthorized",
        headers: headers === undefined || headers === null ? [] : [...headers],
      },
    };
  }
  const identity = answer.get("identity");
  const claims = answer.get("claims");
  return {
    allow: {
      subject: identity.get("user_id"),
      username: identity.get("username") ?? null,
      email: identity.get("email") ?? null,
      display_name: identity.get("display_name") ?? null,
      roles: identity.get("roles") ?? [],
      groups: identity.get("groups") ?? [],
      claims: claims === undefined || claims === null ? [] : [...claims].map(([k, v]) => [k, serdeString(v)]),
    },
  };
}

/** A vector's `expect` with absent fields filled as `outcomeOf` fills them. */
export function normalizedExpectation(expect) {
  if (expect.allow === undefined) return expect;
  const a = expect.allow;
  return {
    allow: {
      subject: a.subject,
      username: a.username ?? null,
      email: a.email ?? null,
      display_name: a.display_name ?? null,
      roles: a.roles ?? [],
      groups: a.groups ?? [],
      claims: a.claims ?? [],
    },
  };
}

/** How deeply arrays and objects nest in a JSON text. */
export function nestingDepth(text) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") deepest = Math.max(deepest, ++depth);
    else if (c === "]" || c === "}") depth--;
  }
  return deepest;
}

/** JSON parsed as serde_json's `Value` (with `preserve_order`) holds it: objects are Maps in
 * which a repeated name keeps its first place and last value; numbers keep their text. */
export function parseSerde(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const map = new Map();
      ws();
      if (text[i] === "}") {
        i++;
        return map;
      }
      for (;;) {
        ws();
        const key = string();
        ws();
        if (text[i++] !== ":") throw new Error(`expected : at ${i}`);
        map.set(key, value());
        ws();
        const sep = text[i++];
        if (sep === "}") return map;
        if (sep !== ",") throw new Error(`expected , or } at ${i}`);
      }
    }
    if (c === "[") {
      i++;
      const list = [];
      ws();
      if (text[i] === "]") {
        i++;
        return list;
      }
      for (;;) {
        list.push(value());
        ws();
        const sep = text[i++];
        if (sep === "]") return list;
        if (sep !== ",") throw new Error(`expected , or ] at ${i}`);
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 1100));
    if (!m) throw new Error(`expected a value at ${i}`);
    i += m[0].length;
    return { number: m[0] };
  };
  const string = () => {
    const start = i;
    if (text[i++] !== '"') throw new Error(`expected a string at ${start}`);
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const result = value();
  ws();
  if (i !== text.length) throw new Error(`trailing characters at ${i}`);
  return result;
}

/** A parsed value written back as `serde_json::Value::to_string` writes it. */
export function serdeString(value) {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") return serdeQuote(value);
  if (Array.isArray(value)) return `[${value.map(serdeString).join(",")}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${serdeQuote(k)}:${serdeString(v)}`).join(",")}}`;
  return serdeNumber(value.number);
}

function serdeQuote(text) {
  const short = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  return `"${text.replace(/["\\\x00-\x1f]/g, (c) => short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);

/** serde_json keeps an integer that fits a u64 (or, negative, an i64) as an integer; any
 * other number, and `-0`, becomes an f64. */
function serdeNumber(text) {
  if (/^-?\d+$/.test(text)) {
    const n = BigInt(text);
    if ((n >= 0n && n <= U64_MAX && text[0] !== "-") || (n < 0n && n >= I64_MIN)) return n.toString();
  }
  return formatFloat(Number(text));
}

/** A finite f64 as serde_json writes it: the shortest digits that read back the same, laid
 * out as `1.0`, `0.001`, `1e+16`, `1.5e-7`, `-0.0`. */
export function formatFloat(x) {
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const minus = x < 0 ? "-" : "";
  const [mantissa, exponent] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp10 = Number(exponent);
  if (exp10 >= -5 && exp10 <= 15) {
    if (digits.length - 1 <= exp10) return `${minus}${digits}${"0".repeat(exp10 + 1 - digits.length)}.0`;
    if (exp10 >= 0) return `${minus}${digits.slice(0, exp10 + 1)}.${digits.slice(exp10 + 1)}`;
    return `${minus}0.${"0".repeat(-exp10 - 1)}${digits}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${minus}${head}e${exp10 >= 0 ? "+" : "-"}${Math.abs(exp10)}`;
}

/** Where the built modules and the vectors are, from test.sh's environment. */
export const paths = {
  plugins: process.env.MOCKFORGE_AS_PLUGINS,
  probe: process.env.MOCKFORGE_AS_PROBE,
  vectors: process.env.MOCKFORGE_VECTORS,
  plugin(name) {
    return join(this.plugins, name, "plugin.wasm");
  },
  manifest(name) {
    return join(this.plugins, name, "plugin.toml");
  },
};
