// Loaded with `node --import`: the SDK's WIT imports resolve to the stand-ins in host/, and the
// base64 conversions of the engines (which Node 20 lacks) are given, for the standard
// alphabet the SDK's UTF-8 fallback uses.

import { register } from "node:module";

register("./hooks.mjs", import.meta.url);

Uint8Array.fromBase64 ??= (text) => new Uint8Array(Buffer.from(text, "base64"));
Uint8Array.prototype.toBase64 ??= function () {
  return Buffer.from(this.buffer, this.byteOffset, this.length).toString("base64");
};
