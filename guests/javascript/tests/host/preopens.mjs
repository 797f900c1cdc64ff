// `wasi:filesystem/preopens` stand-in: the folders a test grants, as descriptors over Node's fs.

import * as fs from "node:fs";
import * as path from "node:path";

/** The granted folders: [host folder, guest path]; tests set them. */
export const granted = [];

class Descriptor {
  constructor(hostPath) {
    this.hostPath = hostPath;
    this.disposed = false;
  }

  openAt(_pathFlags, relative, _openFlags, _flags) {
    const target = path.resolve(this.hostPath, relative);
    if (target !== this.hostPath && !target.startsWith(this.hostPath + path.sep)) throw { payload: "not-permitted" };
    if (!fs.existsSync(target)) throw { payload: "no-entry" };
    return new Descriptor(target);
  }

  stat() {
    const stat = fs.statSync(this.hostPath);
    return { type: stat.isFile() ? "regular-file" : "directory", size: BigInt(stat.size) };
  }

  read(length, offset) {
    const all = fs.readFileSync(this.hostPath);
    const chunk = all.subarray(Number(offset), Number(offset) + Number(length));
    return [new Uint8Array(chunk), Number(offset) + chunk.length >= all.length];
  }

  [Symbol.dispose]() {
    this.disposed = true;
  }
}

/** The granted folders as descriptors. */
export function getDirectories() {
  return granted.map(([hostPath, guest]) => [new Descriptor(path.resolve(hostPath)), guest]);
}
