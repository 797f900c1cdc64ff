// Reading the files of the folders the manifest grants (`[capabilities] dirs`, each a host
// folder and the absolute path the plugin sees it at), through WASI's filesystem: JavaScript
// has no file API of its own in a component, so this is it.
//
//     const text = files.readText("/data/jwks.json");
//
// Paths are absolute and inside a granted folder (`/data/...` for `guest = "/data"`); the host
// grants read-only access. A file that cannot be read throws a `FileError` saying why.

import { getDirectories } from "wasi:filesystem/preopens@0.2.12";

import { decode } from "./utf8.js";

/** The largest file `readBytes` reads (16 MiB). */
export const MAX_FILE_BYTES = 16 << 20;

/** Why a file could not be read; `message` names the path and the cause. */
export class FileError extends Error {}

/** The content of the UTF-8 text file at `path`. */
export function readText(path) {
  const bytes = readBytes(path);
  try {
    return decode(bytes);
  } catch {
    throw new FileError(`${path}: not UTF-8 text`);
  }
}

/** The bytes (a `Uint8Array`) of the file at `path`. */
export function readBytes(path) {
  const [folder, relative] = locate(path);
  const file = fs(path, () => folder.openAt({ symlinkFollow: true }, relative, {}, { read: true }));
  try {
    const stat = fs(path, () => file.stat());
    if (stat.type !== "regular-file") throw new FileError(`${path}: not a regular file`);
    const size = Number(stat.size);
    if (size > MAX_FILE_BYTES) throw new FileError(`${path}: larger than ${MAX_FILE_BYTES} bytes`);
    const content = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const [chunk, end] = fs(path, () => file.read(size - got, got));
      content.set(chunk.subarray(0, size - got), got);
      got += chunk.length;
      if (end || chunk.length === 0) break;
    }
    return got < size ? content.subarray(0, got) : content;
  } finally {
    file[DISPOSE]();
  }
}

// The symbol the engines' bindings put a resource's drop under.
const DISPOSE = Symbol.dispose ?? Symbol.for("dispose");

let granted;

// The granted folder holding `path` (the deepest one) and the path inside it.
function locate(path) {
  granted ??= getDirectories();
  let best;
  for (const [folder, at] of granted) {
    const root = at.endsWith("/") ? at : `${at}/`;
    if ((path.startsWith(root) || path === at) && (best === undefined || at.length > best[1].length)) {
      best = [folder, at, path === at ? "." : path.slice(root.length)];
    }
  }
  if (best === undefined) {
    throw new FileError(`${path}: not inside a folder the manifest grants ([capabilities] dirs)`);
  }
  return [best[0], best[2]];
}

// WASI's error codes, as a person would say them.
const CAUSES = {
  access: "permission denied",
  "not-permitted": "permission denied",
  "no-entry": "no such file or directory",
  "is-directory": "is a directory",
  "not-directory": "a part of the path is not a directory",
  loop: "too many symbolic links",
  "name-too-long": "the name is too long",
};

// Run the filesystem call `f`, turning an `error-code` into a FileError naming `path`.
function fs(path, f) {
  try {
    return f();
  } catch (e) {
    // An `error-code` is an enum: its payload is the case's name.
    const code = typeof e?.payload === "string" ? e.payload : undefined;
    if (code === undefined) throw e;
    throw new FileError(`${path}: ${CAUSES[code] ?? code}`);
  }
}
