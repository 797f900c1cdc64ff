#!/usr/bin/env node
// Build a JavaScript module into a component: componentize-js with its generated bindings
// made cheaper by bindings-rewrite.mjs. build.sh runs it instead of the componentize-js CLI,
// with the subset of that CLI's flags it uses:
//
//   node componentize.mjs SOURCE.js --wit DIR --world-name WORLD [--disable FEATURE...] --out FILE
//
// componentize() gets the bindings text from `splicer.spliceBindings(...)`, a property of a
// plain object exported by the package's lib/spidermonkey-embedding-splicer.js. Importing that
// module by its file URL (the package's `exports` map hides the subpath) gives the instance
// componentize.js uses, so replacing the property there makes componentize() build the
// rewritten bindings.

import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { componentize, DEFAULT_FEATURES, version } from "@bytecodealliance/componentize-js";
import { rewriteBindings } from "./bindings-rewrite.mjs";

const PINNED = "0.23.0";
const SPLICER = "./node_modules/@bytecodealliance/componentize-js/lib/spidermonkey-embedding-splicer.js";

const usage =
  "usage: componentize.mjs SOURCE.js --wit DIR --world-name WORLD [--disable FEATURE...] --out FILE";

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
    else if (arg === "--disable" || arg === "-d") {
      // Like the componentize-js CLI: every following argument up to the next flag.
      while (i + 1 < argv.length && !argv[i + 1].startsWith("-")) opts.disable.push(argv[++i]);
    } else if (!arg.startsWith("-") && opts.source === undefined) opts.source = arg;
    else throw new Error(`unexpected argument ${arg}\n${usage}`);
  }
  if (!opts.source || !opts.wit || !opts.out) throw new Error(usage);
  for (const feature of opts.disable) {
    if (!DEFAULT_FEATURES.includes(feature)) {
      throw new Error(`--disable ${feature}: not one of ${DEFAULT_FEATURES.join(", ")}`);
    }
  }
  return opts;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`componentize.mjs: ${e.message}`);
  process.exit(2);
}

// The rewrites match the code this version generates; another version needs them reviewed.
if (version !== PINNED) {
  throw new Error(
    `componentize-js output changed: update bindings-rewrite.mjs (written for componentize-js ` +
      `${PINNED}, installed ${version})`,
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
await writeFile(opts.out, component);
