// Calls a built Go plugin once on a request file, as the host's adapter would, without the
// host: useful before the host adapts family G modules, and to see the JSON that crosses.
//
//   node guests/go-legacy/call.mjs PLUGIN_DIR REQUEST.json
//
// PLUGIN_DIR holds plugin.wasm and plugin.toml (build.sh's output for one plugin). The request
// file has the format of `mfplugin call --request`: method, path, query, headers
// ([[name, value], ...]), body or body_base64. The context and credentials are built as the
// translator builds them (see ../../../briefs/legacy-contract.md): header names in lower case
// with their first value, the body in base64, the manifest's [config] as text.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { authenticate, instantiate } from "./test/module.mjs";

const [pluginDir, requestPath] = process.argv.slice(2);
if (!pluginDir || !requestPath) {
  console.error("usage: node call.mjs PLUGIN_DIR REQUEST.json");
  process.exit(2);
}

/** The manifest's [config] table, every value as text, as the host passes it. */
function manifestConfig(text) {
  const config = {};
  let inConfig = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("[")) {
      inConfig = line === "[config]";
      continue;
    }
    const eq = line.indexOf("=");
    if (!inConfig || eq < 0) continue;
    const value = line.slice(eq + 1).trim();
    config[line.slice(0, eq).trim()] = value.startsWith('"') ? JSON.parse(value) : value.replace(/\s+#.*$/, "");
  }
  return Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The credentials the translator derives from the Authorization or X-Api-Key header. */
function credentials(headers) {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const space = authorization.indexOf(" ");
    if (space <= 0) return { type: "none" };
    const scheme = authorization.slice(0, space).toLowerCase();
    const rest = authorization.slice(space + 1);
    return scheme === "basic" ? { type: scheme, data: rest } : { type: scheme, token: rest };
  }
  if (headers["x-api-key"] !== undefined) return { type: "api_key", token: headers["x-api-key"] };
  return { type: "none" };
}

const request = JSON.parse(readFileSync(requestPath, "utf8"));
const headers = {};
for (const [name, value] of request.headers ?? []) headers[name.toLowerCase()] ??= value;
const body =
  request.body_base64 ?? (request.body !== undefined ? Buffer.from(request.body, "utf8").toString("base64") : "");
const uri = request.query ? `${request.path}${request.path.includes("?") ? "&" : "?"}${request.query}` : request.path;
const context = {
  method: request.method,
  uri,
  headers,
  body,
  config: manifestConfig(readFileSync(join(pluginDir, "plugin.toml"), "utf8")),
};

const { exports } = await instantiate(join(pluginDir, "plugin.wasm"));
const encoder = new TextEncoder();
const answer = authenticate(
  exports,
  encoder.encode(JSON.stringify(context)),
  encoder.encode(JSON.stringify(credentials(headers))),
);
console.log(answer);
