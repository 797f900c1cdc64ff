#!/usr/bin/env node
// Build a JavaScript module into a component with one of two engines:
//
//   node componentize.mjs SOURCE.js --wit DIR --world-name WORLD --engine ENGINE
//                         [--disable FEATURE...] --out FILE
//
// ENGINE `qjs`: componentize-qjs (QuickJS, with its bindings generated natively by wit-dylib),
// as its non-async runtime, with the guests' folder as the module root (so that a plugin
// imports ../../sdk/). `--disable` is ignored: the QuickJS runtime has no such features.
//
// ENGINE `starlingmonkey`: componentize-js (StarlingMonkey), with its generated JavaScript
// bindings made cheaper by bindings-rewrite.mjs, and the subset of the componentize-js CLI's
// flags given (`--disable http fetch-event stdio ...`).
//
// For StarlingMonkey, componentize() gets the bindings text from `splicer.spliceBindings(...)`, a property of a
// plain object exported by the package's lib/spidermonkey-embedding-splicer.js. Importing that
// module by its file URL (the package's `exports` map hides the subpath) gives the instance
// componentize.js uses, so replacing the property there makes componentize() build the
// rewritten bindings.

import { readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { rewriteBindings } from "./bindings-rewrite.mjs";

const ENGINES = ["qjs", "starlingmonkey"];
const PINNED = { qjs: "0.4.5", starlingmonkey: "0.23.0" };
const SPLICER = "./node_modules/@bytecodealliance/componentize-js/lib/spidermonkey-embedding-splicer.js";
const GUESTS = dirname(fileURLToPath(import.meta.url));

const usage =
  "usage: componentize.mjs SOURCE.js --wit DIR --world-name WORLD --engine qjs|starlingmonkey " +
  "[--disable FEATURE...] --out FILE";

function parseArgs(argv) {
  const opts = { disable: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value\n${usage}`);
      return argv[++i];
    };
    if (arg === "--wit" || arg === "-w") opts.wit = value();
    else if (arg === "--world-name" || arg === "-n") opts.worldName = value();
    else if (arg === "--out" || arg === "-o") opts.out = value();
    else if (arg === "--engine") opts.engine = value();
    else if (arg === "--disable" || arg === "-d") {
      // Like the componentize-js CLI: every following argument up to the next flag.
      while (i + 1 < argv.length && !argv[i + 1].startsWith("-")) opts.disable.push(argv[++i]);
    } else if (!arg.startsWith("-") && opts.source === undefined) opts.source = arg;
    else throw new Error(`unexpected argument ${arg}\n${usage}`);
  }
  if (!opts.source || !opts.wit || !opts.out || !opts.engine) throw new Error(usage);
  if (!ENGINES.includes(opts.engine)) throw new Error(`--engine ${opts.engine}: not one of ${ENGINES.join(", ")}`);
  return opts;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`componentize.mjs: ${e.message}`);
  process.exit(2);
}

const component = opts.engine === "qjs" ? await withQuickJs(opts) : await withStarlingMonkey(opts);
await writeFile(opts.out, component);

// The version of an installed package, from its package.json.
async function installedVersion(name) {
  const text = await readFile(resolve(GUESTS, "node_modules", name, "package.json"), "utf8");
  return JSON.parse(text).version;
}

async function withQuickJs(opts) {
  const installed = await installedVersion("componentize-qjs");
  if (installed !== PINNED.qjs) {
    throw new Error(`componentize-qjs ${installed} is installed, ${PINNED.qjs} is pinned: run setup.sh`);
  }
  const { componentize } = await import("componentize-qjs");
  const source = resolve(opts.source);
  const { component } = await componentize({
    witPath: resolve(opts.wit),
    jsSource: await readFile(source, "utf8"),
    jsPath: source,
    moduleRoot: GUESTS,
    world: opts.worldName,
    sync: true,
  });
  return component;
}

async function withStarlingMonkey(opts) {
  const { componentize, DEFAULT_FEATURES, version } = await import("@bytecodealliance/componentize-js");
  for (const feature of opts.disable) {
    if (!DEFAULT_FEATURES.includes(feature)) {
      throw new Error(`--disable ${feature}: not one of ${DEFAULT_FEATURES.join(", ")}`);
    }
  }
  // The rewrites match the code this version generates; another version needs them reviewed.
  if (version !== PINNED.starlingmonkey) {
    throw new Error(
      `componentize-js output changed: update bindings-rewrite.mjs (written for componentize-js ` +
        `${PINNED.starlingmonkey}, installed ${version})`,
    );
  }

  const { splicer } = await import(new URL(SPLICER, import.meta.url));
  const spliceBindings = splicer.spliceBindings;
  let rewritten = 0;
  splicer.spliceBindings = (...args) => {
    const spliced = spliceBindings(...args);
    rewritten++;
    return { ...spliced, jsBindings: rewriteBindings(spliced.jsBindings) };
  };

  // The options the componentize-js CLI passes for these flags (its src/cli.js).
  const { component } = await componentize({
    sourcePath: opts.source,
    witPath: resolve(opts.wit),
    worldName: opts.worldName,
    disableFeatures: opts.disable,
  });
  // Had componentize.js loaded another instance of the splicer, nothing would be rewritten.
  if (rewritten !== 1) throw new Error(`expected one spliceBindings call, saw ${rewritten}`);
  return component;
}
