// Every conformance vector of the plugins this language serves, through each built module as
// the host would run it: the translator's input JSON in, the translator's reading of the
// answer compared with the vector's `expect`.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";

import {
  configFor,
  legacyInput,
  manifestConfig,
  nestingDepth,
  normalizedExpectation,
  outcomeOf,
  paths,
  Plugin,
  SERDE_MAX_DEPTH,
} from "./harness.mjs";

const served = readFileSync(new URL("../conformance-plugins", import.meta.url), "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

const tooDeep = [];

for (const name of served) {
  describe(`conformance ${name}`, () => {
    const plugin = Plugin.load(paths.plugin(name));
    const base = manifestConfig(paths.manifest(name));
    const vectors = JSON.parse(readFileSync(join(paths.vectors, `${name}.json`), "utf8"));

    const kind = /^kind\s*=\s*"([^"]*)"/m.exec(readFileSync(paths.manifest(name), "utf8"))?.[1];
    if (kind === "response") {
      for (const vector of vectors) {
        test(vector.name, () => checkResponse(plugin, vector, configFor(base, vector.config)));
      }
      return;
    }

    for (const vector of vectors) {
      test(vector.name, () => {
        const input = legacyInput(vector.request, configFor(base, vector.config), Date.now());
        const answer = plugin.authenticate(input);
        assert.doesNotThrow(() => JSON.parse(answer), `the answer is not JSON: ${answer}`);
        assert.deepEqual(outcomeOf(answer), normalizedExpectation(vector.expect));
        if (nestingDepth(answer) > SERDE_MAX_DEPTH) tooDeep.push(`${name} / ${vector.name}`);
      });
    }
  });
}

/** A response plugin's vector, as the translator reads `generate_response` (its input: the
 * auth input with `path` and empty `path_params`; its answer: MockForge's `ResponseData`, the
 * headers sorted by name with `content_type` and `cache_control` added, the body from a list
 * of byte numbers). `modify` passes the mock's response through, so it is not the module's. */
function checkResponse(plugin, vector, config) {
  if (vector.response !== undefined) return;
  const input = JSON.parse(legacyInput(vector.request, config, Date.now()));
  input.path = vector.request.path;
  input.path_params = {};
  const answer = JSON.parse(plugin.call("generate_response", JSON.stringify(input)));
  const expect = vector.expect;
  if (expect.error !== undefined) {
    const kind = answer?.plugin_error?.kind ?? (answer?.status_code > 599 ? "internal" : undefined);
    assert.equal(kind, expect.error);
    return;
  }
  if (expect.respond === null) {
    assert.equal(answer, null);
    return;
  }
  const headers = Object.entries(answer.headers ?? {});
  if (answer.content_type) headers.push(["content-type", answer.content_type]);
  if (answer.cache_control) headers.push(["cache-control", answer.cache_control]);
  headers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const body = JSON.parse(new TextDecoder().decode(Uint8Array.from(answer.body)));
  assert.deepEqual(
    { status: answer.status_code, headers, body_json: body },
    { status: expect.respond.status, headers: expect.respond.headers, body_json: expect.respond.body_json },
  );
}

after(() => {
  if (tooDeep.length > 0) {
    console.log(
      `note: these answers nest deeper than serde_json's default limit (${SERDE_MAX_DEPTH}), so the ` +
        `translator must parse answers without it: ${tooDeep.join("; ")}`,
    );
  }
});
