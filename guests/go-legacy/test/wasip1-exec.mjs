// Runs a Go test binary built for wasip1 under Node's WASI preview 1, as `go test -exec`
// wants: `GOOS=wasip1 GOARCH=wasm go test -exec "node test/wasip1-exec.mjs" ./...`. The whole
// file system is visible at its own paths and the working directory is the package's, so
// tests read files (the conformance vectors) as they do natively.

import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";

const [binary, ...args] = process.argv.slice(2);
const wasi = new WASI({
  version: "preview1",
  args: [binary, ...args],
  env: { PWD: process.cwd() },
  preopens: { "/": "/" },
  returnOnExit: true,
});
const module = await WebAssembly.compile(readFileSync(binary));
process.exitCode = wasi.start(await WebAssembly.instantiate(module, wasi.getImportObject()));
