#!/usr/bin/env node
// Call a built plugin once, as the host would, without the host: the request file (the
// format of `mfplugin call --request`) becomes the family-A input JSON, and the answer is
// printed as it came and as the outcome the host would read from it.
//
//   node guests/assemblyscript/call.mjs PLUGIN_DIR REQUEST.json
//
// PLUGIN_DIR holds plugin.wasm and plugin.toml, as build.sh stages them.

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { AbortError, configFor, legacyInput, manifestConfig, outcomeOf, Plugin } from "./tests/harness.mjs";

const [dir, requestFile] = process.argv.slice(2);
if (dir === undefined || requestFile === undefined) {
  console.error("usage: node call.mjs PLUGIN_DIR REQUEST.json");
  process.exit(2);
}

const request = JSON.parse(readFileSync(requestFile, "utf8"));
// As the host's request file: a query in `path` joins the `query` key.
const [path, inlineQuery = ""] = request.path.split(/\?(.*)/s);
const query = [inlineQuery, request.query ?? ""].filter((q) => q !== "").join("&");
const plugin = Plugin.load(join(dir, "plugin.wasm"));
const input = legacyInput({ ...request, path, query }, configFor(manifestConfig(join(dir, "plugin.toml")), {}), Date.now());
try {
  const answer = plugin.authenticate(input);
  console.log(`answer:  ${answer}`);
  console.log(`outcome: ${JSON.stringify(outcomeOf(answer))}`);
} catch (error) {
  if (!(error instanceof AbortError)) throw error;
  console.log(`trap:    ${error.message}`);
  process.exit(1);
}
