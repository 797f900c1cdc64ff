// What the vectors do not cover: the clock input, input the host should never send, the
// `context` fallback, an abort reaching the host, the module's imports and exports.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { AbortError, configFor, legacyInput, manifestConfig, outcomeOf, paths, Plugin } from "./harness.mjs";

// {"alg":"HS256","typ":"JWT"} / {"sub":"u","exp":4102444800} and {"sub":"u"}, with the demo secret.
const EXPIRING =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1IiwiZXhwIjo0MTAyNDQ0ODAwfQ.RSYyHh6ofI7K5WXVjPabNuBXXrYusIpy5to_XVrcXXg";
const TIMELESS = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1In0.Ty-zTTJWXysJZq1cqgegYLFalHMI6GnXHvkAnCnV9IM";

const request = (token) => ({ method: "GET", path: "/orders", headers: [["Authorization", `Bearer ${token}`]] });

describe("auth-jwt and the clock", () => {
  const plugin = Plugin.load(paths.plugin("auth-jwt"));
  const config = configFor(manifestConfig(paths.manifest("auth-jwt")), {});

  test("exp is checked against now_unix_ms", () => {
    const after2100 = Date.UTC(2100, 0, 1, 0, 0, 1);
    const answer = plugin.authenticate(legacyInput(request(EXPIRING), config, after2100));
    assert.equal(outcomeOf(answer).deny.reason, "token expired");
  });

  test("a token with exp and no clock is an internal error", () => {
    const answer = plugin.authenticate(legacyInput(request(EXPIRING), config, undefined));
    assert.deepEqual(outcomeOf(answer), { error: "internal" });
    assert.match(answer, /now_unix_ms/);
  });

  test("a token without exp or nbf needs no clock", () => {
    const answer = plugin.authenticate(legacyInput(request(TIMELESS), config, undefined));
    assert.equal(outcomeOf(answer).allow.subject, "u");
  });
});

describe("input the host should never send", () => {
  const plugin = Plugin.load(paths.plugin("auth-trivial"));

  for (const input of ["", "{", "[]", '{"a":1,}', '"text"']) {
    test(`${JSON.stringify(input)} is an invalid-request error`, () => {
      assert.deepEqual(outcomeOf(plugin.authenticate(input)), { error: "invalid-request" });
    });
  }

  test("keys missing at the top level are read from `context`", () => {
    const answer = plugin.authenticate('{"context":{"headers":{"authorization":"Bearer good"}}}');
    assert.equal(outcomeOf(answer).allow.subject, "good");
  });
});

describe("abort", () => {
  test("a failed assertion reaches env.abort with its message, file and line", () => {
    const probe = Plugin.load(paths.probe);
    const input = legacyInput({ method: "GET", path: "/", headers: [] }, new Map(), Date.now());
    assert.throws(
      () => probe.authenticate(input),
      (error) =>
        error instanceof AbortError &&
        error.abortMessage === "probe: the x-must header is required" &&
        error.file.endsWith("tests/probe/index.ts") &&
        error.line > 0,
    );
  });

  test("the same module answers when the assertion holds", () => {
    const probe = Plugin.load(paths.probe);
    const input = legacyInput({ method: "GET", path: "/", headers: [["X-Must", "me"]] }, new Map(), Date.now());
    assert.equal(outcomeOf(probe.authenticate(input)).allow.subject, "me");
  });
});

describe("module shape", () => {
  for (const name of ["auth-jwt", "auth-trivial"]) {
    test(`${name} imports only env.abort and exports the family-A entry points`, () => {
      const plugin = Plugin.load(paths.plugin(name));
      assert.deepEqual(
        plugin.imports.map((i) => `${i.module}.${i.name}`),
        ["env.abort"],
      );
      for (const required of ["memory", "authenticate", "__new", "__pin", "__unpin", "__collect"]) {
        assert.ok(plugin.exportNames.includes(required), `${name} does not export ${required}`);
      }
    });
  }
});
