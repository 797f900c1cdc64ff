// Smoke test of the built Go plugin modules under Node's WASI preview 1, driven the way the
// host's adapter drives them: run `_initialize` once, then for each call malloc two buffers,
// write the context and credentials JSON, call plugin_auth_authenticate, read one JSON value
// from the pointer it returns (no length, no terminator) and free the buffers.
//
//   node wasi-smoke.mjs STAGED_DIR TRANSCRIPT_DIR [CALLS]
//
// STAGED_DIR holds <plugin>/plugin.wasm (guests/go-legacy/build.sh's output); TRANSCRIPT_DIR holds
// <plugin>.json, the calls `go test` made natively with their answers (see
// internal/conformance). Every recorded call must get the same answer, byte for byte, from the
// module; then CALLS calls (10,000 by default) cycle through the recording, whose 1 MiB bodies
// keep Go's collector busy, and the module's memory must stop growing once warm.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { authenticate, capabilities, initialize, instantiate, put, readJson } from "./module.mjs";

const [stagedDir, transcriptDir, callsArg] = process.argv.slice(2);
if (!stagedDir || !transcriptDir) {
  console.error("usage: node wasi-smoke.mjs STAGED_DIR TRANSCRIPT_DIR [CALLS]");
  process.exit(2);
}
const CALLS = Number(callsArg ?? 10_000);
// The most a warm instance may grow over the loop: Go's heap settles after the first large
// calls, so growth beyond a few collections' worth means something is kept.
const MAX_GROWTH_BYTES = 16 << 20;
const PLUGINS = ["auth-jwt", "auth-trivial"];

const encoder = new TextEncoder();
let failures = 0;

function fail(message) {
  failures += 1;
  console.error(`FAIL ${message}`);
}

function checkShape(name, { module, exports }) {
  const want = {
    malloc: { kind: "function", params: 1 },
    free: { kind: "function", params: 1 },
    plugin_auth_authenticate: { kind: "function", params: 4 },
    plugin_auth_capabilities: { kind: "function", params: 0 },
    _initialize: { kind: "function", params: 0 },
    memory: { kind: "memory" },
  };
  const found = Object.fromEntries(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  for (const [exportName, { kind, params }] of Object.entries(want)) {
    if (found[exportName] !== kind) fail(`${name}: export ${exportName} is ${found[exportName]}, want ${kind}`);
    else if (params !== undefined && exports[exportName].length !== params)
      fail(`${name}: ${exportName} takes ${exports[exportName].length} parameters, want ${params}`);
  }
  const imports = WebAssembly.Module.imports(module).filter((i) => i.module !== "wasi_snapshot_preview1");
  if (imports.length) fail(`${name}: imports beyond WASI preview 1: ${JSON.stringify(imports)}`);
}

async function smoke(name) {
  const plugin = await instantiate(join(stagedDir, name, "plugin.wasm"));
  const { exports } = plugin;
  checkShape(name, plugin);

  const fresh = exports.memory.buffer.byteLength;
  const described = capabilities(exports);
  if (described.name !== name || !described.kinds?.includes("auth"))
    fail(`${name}: capabilities ${JSON.stringify(described)}`);

  const transcript = JSON.parse(readFileSync(join(transcriptDir, `${name}.json`), "utf8")).map((call) => ({
    ...call,
    contextBytes: encoder.encode(call.context),
    credentialsBytes: encoder.encode(call.credentials),
  }));

  // Every recorded call answers as it did natively.
  for (const call of transcript) {
    const answer = authenticate(exports, call.contextBytes, call.credentialsBytes);
    if (answer !== call.answer) fail(`${name} / ${call.name}:\n  wasm   ${answer}\n  native ${call.answer}`);
  }

  // Both texts in one malloc buffer (the adapter may carve its buffers out of one), and a
  // pointer that is not from malloc.
  {
    const [first] = transcript;
    const both = new Uint8Array(first.contextBytes.length + first.credentialsBytes.length);
    both.set(first.contextBytes);
    both.set(first.credentialsBytes, first.contextBytes.length);
    const ptr = put(exports, both);
    const answer = readJson(
      exports,
      exports.plugin_auth_authenticate(ptr, first.contextBytes.length, ptr + first.contextBytes.length,
        first.credentialsBytes.length) >>> 0,
    );
    exports.free(ptr);
    if (answer !== first.answer) fail(`${name}: one buffer for both texts: ${answer}`);
    const stray = JSON.parse(readJson(exports, exports.plugin_auth_authenticate(8, 4, 0, 0) >>> 0));
    if (stray.plugin_error?.kind !== "internal") fail(`${name}: a stray pointer: ${JSON.stringify(stray)}`);
  }

  // The loop: many calls, with GC pressure from the large bodies; memory must level off.
  const warm = exports.memory.buffer.byteLength;
  let start = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const call = transcript[i % transcript.length];
    const answer = authenticate(exports, call.contextBytes, call.credentialsBytes);
    if (answer !== call.answer) {
      fail(`${name}: call ${i} (${call.name}) answered ${answer}`);
      break;
    }
  }
  const loopMs = performance.now() - start;
  const after = exports.memory.buffer.byteLength;
  if (after - warm > MAX_GROWTH_BYTES) fail(`${name}: memory grew from ${warm} to ${after} bytes over ${CALLS} calls`);

  // The warm hot path: the first allowed small call, repeated.
  const hot =
    transcript.find((c) => c.answer.startsWith('{"authenticated":true') && c.context.length < 4096) ?? transcript[0];
  const hotUs = bestOf(5, 4000, () => authenticate(exports, hot.contextBytes, hot.credentialsBytes)) * 1000;

  console.log(
    `${name}: ${transcript.length} recorded calls match; ${CALLS} calls in ${loopMs.toFixed(0)} ms ` +
      `(${Math.round((CALLS * 1000) / loopMs)} calls/s); memory ${mib(fresh)} fresh, ${mib(warm)} after ` +
      `the recorded calls, ${mib(after)} after the loop; warm "${hot.name}": ${hotUs.toFixed(1)} us/call ` +
      `(${Math.round(1e6 / hotUs)} calls/s)`,
  );
}

function mib(bytes) {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * The time of one run of f in milliseconds: the best of rounds batches of n runs, so that
 * other processes on a shared machine count as little as possible.
 */
function bestOf(rounds, n, f) {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) f();
    best = Math.min(best, (performance.now() - start) / n);
  }
  return best;
}

async function freshInstanceCost(name) {
  const module = await WebAssembly.compile(readFileSync(join(stagedDir, name, "plugin.wasm")));
  const ms = bestOf(5, 10, () => initialize(module));
  console.log(`${name}: a fresh instance (instantiate + _initialize) under Node: ${ms.toFixed(2)} ms`);
}

for (const name of PLUGINS) {
  await smoke(name);
  await freshInstanceCost(name);
}
if (failures) {
  console.error(`${failures} failure(s)`);
  process.exit(1);
}
console.log("wasi smoke test: ok");
