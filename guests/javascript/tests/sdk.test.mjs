// The SDK's pieces in Node, with the host stood in for (register.mjs, host/): how a plugin's
// answers and failures are lowered for the bindings, the request wrapper, and the crypto, kv and
// files wrappers' conversions and errors.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as nodeCrypto from "node:crypto";

import {
  Abstain,
  crypto,
  jwt,
  defineAuthPlugin,
  defineResponsePlugin,
  Denial,
  files,
  Identity,
  InvalidConfig,
  kv,
  Response,
} from "../sdk/index.js";
import { JwtVerifier as HostJwtVerifier } from "./host/crypto.mjs";
import { granted } from "./host/preopens.mjs";

// A host request handle: the methods the bindings give, and whether it was given back.
function handle(fields = {}) {
  return {
    disposed: 0,
    header: (name) => fields.headers?.[name] ?? null,
    route: () => fields.route ?? null,
    pathParam: (name) => fields.params?.[name] ?? null,
    identity: () => fields.identity ?? null,
    [Symbol.dispose]() {
      this.disposed++;
    },
  };
}

test("an identity is lowered with its claims as one JSON text", () => {
  const auth = defineAuthPlugin({
    authenticate: () => new Identity("ada", { roles: ["admin"], claims: { tenant: "acme", n: 1.5 } }),
  });
  const h = handle();
  const outcome = auth.authenticate(h);
  assert.equal(outcome.tag, "allow");
  assert.equal(outcome.val.subject, "ada");
  assert.equal(outcome.val.username, null);
  assert.deepEqual(outcome.val.roles, ["admin"]);
  assert.deepEqual(outcome.val.groups, []);
  assert.deepEqual(JSON.parse(outcome.val.claims), { tenant: "acme", n: 1.5 });
  assert.equal(h.disposed, 1, "the request is given back once");
});

test("claims given as JSON text pass as they are; none is {}", () => {
  const text = '{"sub":"u", "x": [1]}';
  const auth = defineAuthPlugin({ authenticate: (req) => new Identity(req.header("x-who") ?? "u", { claims: text }) });
  assert.equal(auth.authenticate(handle()).val.claims, text);
  const bare = defineAuthPlugin({ authenticate: () => new Identity("u") });
  assert.equal(bare.authenticate(handle()).val.claims, "{}");
});

test("abstain and deny", () => {
  const auth = defineAuthPlugin({
    authenticate: (req) =>
      req.header("authorization") === undefined ? new Abstain() : new Denial(401, "no", [["www-authenticate", "x"]]),
  });
  assert.deepEqual(auth.authenticate(handle()), { tag: "abstain" });
  assert.deepEqual(auth.authenticate(handle({ headers: { authorization: "a" } })), {
    tag: "deny",
    val: { status: 401, reason: "no", headers: [["www-authenticate", "x"]] },
  });
});

test("failures become the plugin-error of the result, and the request is given back", () => {
  const cases = [
    [() => { throw new InvalidConfig("missing `x`"); }, { tag: "invalid-config", val: "missing `x`" }],
    [() => { throw new TypeError("boom"); }, { tag: "internal", val: "TypeError: boom" }],
    [() => Promise.resolve(new Identity("u")), { tag: "internal", val: "the plugin function returned a promise: plugin functions are synchronous" }],
    [() => "allow", { tag: "internal", val: "authenticate returned allow, not an Identity, a Denial or an Abstain" }],
    [() => new Identity("u", { claims: [1] }), { tag: "internal", val: "the identity's claims must be an object, not Array" }],
  ];
  for (const [authenticate, payload] of cases) {
    const h = handle();
    assert.throws(() => defineAuthPlugin({ authenticate }).authenticate(h), (e) => {
      assert.deepEqual(e.payload, payload);
      return true;
    });
    assert.equal(h.disposed, 1);
  }
});

test("a kv error the plugin lets through is an internal error, not a kv-error payload", () => {
  const responder = defineResponsePlugin({ respond: () => kv.set("", "v") });
  assert.throws(() => responder.respond(handle()), (e) => {
    assert.deepEqual(e.payload, { tag: "internal", val: "Error: the key is empty" });
    return true;
  });
});

test("respond declines with null, modify gets and returns a Response", () => {
  const responder = defineResponsePlugin({
    respond: (req) => (req.route() === "/a" ? Response.json(201, '{"a":1}') : undefined),
    modify: (_req, resp) => resp.withHeader("x-b", "2"),
  });
  assert.equal(responder.respond(handle()), null);
  const made = responder.respond(handle({ route: "/a" }));
  assert.deepEqual([made.status, made.headers, new TextDecoder().decode(made.body)], [
    201,
    [["content-type", "application/json"]],
    '{"a":1}',
  ]);
  const changed = responder.modify(handle(), { status: 200, headers: [["x-a", "1"]], body: new Uint8Array([1]) });
  assert.deepEqual(changed.headers, [["x-a", "1"], ["x-b", "2"]]);
  assert.deepEqual(changed.body, new Uint8Array([1]));
  assert.deepEqual(defineResponsePlugin({}).modify(handle(), changed), changed);
});

test("the request reads absent values as undefined and the identity's claims as an object", () => {
  let seen;
  const responder = defineResponsePlugin({
    respond(req) {
      seen = {
        route: req.route(),
        param: req.pathParam("id"),
        identity: req.identity(),
      };
      return undefined;
    },
  });
  responder.respond(handle());
  assert.deepEqual(seen, { route: undefined, param: undefined, identity: undefined });
  const identity = { subject: "s", username: null, email: "e", displayName: null, roles: [], groups: ["g"], claims: '{"a":{"b":[1]}}' };
  responder.respond(handle({ route: "/u/{id}", params: { id: "42" }, identity }));
  assert.equal(seen.route, "/u/{id}");
  assert.equal(seen.param, "42");
  assert.ok(seen.identity instanceof Identity);
  assert.deepEqual(
    [seen.identity.subject, seen.identity.username, seen.identity.email, seen.identity.groups, seen.identity.claims],
    ["s", undefined, "e", ["g"], { a: { b: [1] } }],
  );
  responder.respond(handle({ identity: { ...identity, claims: "" } }));
  assert.deepEqual(seen.identity.claims, {});
});

test("a request kept past its call throws instead of reaching the host", () => {
  let kept;
  defineAuthPlugin({ authenticate: (req) => ((kept = req), new Abstain()) }).authenticate(handle());
  assert.throws(() => kept.header("a"), /used after its call returned/);
});

test("crypto: names, conversions and errors", () => {
  const mac = crypto.hmac("sha256", "key", "data");
  assert.equal(mac.length, 32);
  assert.ok(crypto.hmacVerify("sha256", "key", "data", mac));
  assert.ok(!crypto.hmacVerify("sha256", "key", "datb", mac));
  assert.equal(crypto.digest("sha512", new Uint8Array()).length, 64);
  assert.throws(() => crypto.digest("md5", "x"), TypeError);
  assert.throws(() => crypto.randomBytes(5000), crypto.Limit);
  assert.throws(() => crypto.PublicKey.fromPem("nope"), crypto.InvalidKey);
  const { publicKey, privateKey } = nodeKeys();
  const key = crypto.PublicKey.fromPem(publicKey);
  assert.equal(key.keyType, "ed25519");
  assert.ok(key.fits("EdDSA") && !key.fits("ES256"));
  const signature = privateKey("msg");
  assert.equal(key.verify("EdDSA", "msg", signature), true);
  assert.equal(key.verify("EdDSA", "msh", signature), false);
  assert.throws(() => key.verify("RS256", "msg", signature), crypto.KeyMismatch);
  assert.throws(() => key.verify("HS256", "msg", signature), TypeError);
});

test("jwt: the verifier hands its settings to the host and names each rejection", () => {
  const key = crypto.PublicKey.fromPem(nodeKeys().publicKey);
  const verifier = new jwt.Verifier(new Set(["HS256", "EdDSA"]), {
    secret: "s",
    keys: [{ kid: "k1", alg: "EdDSA", key }],
    issuer: "me",
    audience: "api",
    leeway: 30,
  });
  const settings = HostJwtVerifier.made.at(-1).settings;
  assert.deepEqual(settings.algorithms, ["hs256", "eddsa"]);
  assert.deepEqual(settings.secret, new TextEncoder().encode("s"));
  assert.equal(settings.keys.length, 1);
  assert.equal(settings.keys[0].kid, "k1");
  assert.equal(settings.keys[0].alg, "EdDSA");
  assert.ok(settings.keys[0].key !== key && typeof settings.keys[0].key.verify === "function", "the host's resource");
  assert.deepEqual([settings.issuer, settings.audience, settings.leewaySeconds], ["me", "api", 30]);
  assert.equal(verifier.verify("good"), '{"sub":"u"}');
  for (const reason of jwt.REASONS) {
    assert.throws(() => verifier.verify(reason), (e) => e instanceof jwt.Rejected && e.reason === reason);
  }
  assert.throws(() => new jwt.Verifier(["HS256"], { secret: "" }), crypto.InvalidKey);
  assert.throws(() => new jwt.Verifier(["none"], { secret: "s" }), TypeError);
});

function nodeKeys() {
  const node = nodeCrypto;
  const pair = node.generateKeyPairSync("ed25519");
  return {
    publicKey: pair.publicKey.export({ type: "spki", format: "pem" }),
    privateKey: (message) => new Uint8Array(node.sign(null, Buffer.from(message), pair.privateKey)),
  };
}

test("kv: strings stored as UTF-8, 64-bit integers as Numbers, errors as classes", () => {
  kv.set("greeting", "héllo", { ttlMs: 1000 });
  assert.deepEqual(kv.get("greeting"), new TextEncoder().encode("héllo"));
  assert.equal(kv.getText("greeting"), "héllo");
  assert.equal(kv.get("absent"), undefined);
  assert.equal(kv.increment("n"), 1);
  assert.equal(kv.increment("n", 41), 42);
  assert.throws(() => kv.increment("greeting"), kv.NotANumber);
  assert.throws(() => kv.set("", "x"), kv.InvalidKey);
  assert.deepEqual(kv.keys("g"), ["greeting"]);
  assert.equal(kv.delete("greeting"), true);
  assert.equal(kv.delete("greeting"), false);
});

test("files: a granted folder's files, and why others cannot be read", () => {
  const folder = mkdtempSync(join(tmpdir(), "mockforge-files-"));
  writeFileSync(join(folder, "a.json"), '{"k":"é"}');
  granted.push([folder, "/data"]);
  assert.equal(files.readText("/data/a.json"), '{"k":"é"}');
  assert.throws(() => files.readText("/data/b.json"), /\/data\/b\.json: no such file or directory/);
  assert.throws(() => files.readText("/etc/passwd"), files.FileError);
  assert.throws(() => files.readText("/data"), /not a regular file/);
});
