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

after(() => {
  if (tooDeep.length > 0) {
    console.log(
      `note: these answers nest deeper than serde_json's default limit (${SERDE_MAX_DEPTH}), so the ` +
        `translator must parse answers without it: ${tooDeep.join("; ")}`,
    );
  }
});
