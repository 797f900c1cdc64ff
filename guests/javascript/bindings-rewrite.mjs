// Make the JavaScript bindings that componentize-js 0.23.0 generates from the WIT cheaper to run.
//
// The bindings lift and lower every value crossing the component boundary, and they run in the
// component's own interpreter, so each statement in them costs every call. `rewriteBindings`
// edits their text before componentize-js builds them into the component (see componentize.mjs).
// Each rewrite replaces exact generated code with code that behaves the same, and checks that
// it found what it expected: when a componentize-js upgrade changes the generated code, the
// build fails here instead of shipping bindings that are not rewritten, or rewritten wrongly.

const PINNED = "0.23.0";

/** Rewrite the generated bindings `text`; throws when it does not look as expected. */
export function rewriteBindings(text) {
  for (const { name, apply } of REWRITES) {
    text = apply(text, name);
  }
  return text;
}

export const REWRITES = [
  {
    // The generated encoder (UTF8_ENCODER, at the end of this file) counts the UTF-8 length of the string with a
    // JavaScript loop over its characters, then allocates exactly that and encodes into it.
    // The native `encode` gives the bytes, so their count, directly. Equivalent: the same
    // TypeError, the same { ptr: 1, len: 0 } for "" (no allocation), `realloc` called once
    // with the exact length, and the same bytes: a lone surrogate is counted as 3 bytes by the
    // loop and encoded as U+FFFD (3 bytes) by both. The `codepoints` it also returned is read
    // nowhere (checked below), and its encodeInto check cannot fail when sizes are exact.
    name: "utf8-encode",
    apply(text, name) {
      text = replaceAll(name, text, UTF8_ENCODER, FAST_UTF8_ENCODER, 1);
      if (text.includes("codepoints")) unexpected(name, "`codepoints` is used");
      return text;
    },
  },
  {
    // Every call evaluates `_debugLog(...)` statements, which build an object literal and look
    // up `globalThis.process.env.JCO_DEBUG` only to print nothing: the host sets no JCO_DEBUG.
    // Their arguments are string literals, names and object literals of those, so dropping
    // the statements drops nothing else. Only whole statements go (the line before ends one
    // or opens a block, so none is the body of an `if`), and every call must go.
    name: "debug-log",
    apply(text, name) {
      const statement = String.raw`(?<=[;{}]\n(?:[ \t]*\n)*)^[ \t]*_debugLog\(`;
      const calls = [
        // _debugLog('[Instruction::CallWasm] enter', {\n funcName: '...',\n ... \n});
        String.raw`'\[Instruction::(?:CallWasm\] enter|Return\])', \{\n(?:[ \t]*\w+: (?:'[^'\n]*'|\w+),?\n)+[ \t]*\}\);\n`,
        String.raw`' \[Instruction::CallInterface\] \(sync, @ enter\)'\);\n`,
        String.raw`"ERROR: invalid value \(expected result as object with 'tag' member\)", \{ value: \w+, valueType: typeof \w+\}\);\n`,
      ];
      for (const call of calls) text = text.replace(new RegExp(statement + call, "gm"), "");
      if (count(text, "_debugLog(") !== 0 || count(text, "const _debugLog = (...args) => {") !== 1) {
        unexpected(name, "a _debugLog call of an unknown form or place");
      }
      return text;
    },
  },
  {
    // Every load and store calls `dataView($memory)`, which returns a DataView of
    // `$memory.buffer`, made anew when that buffer changed. Inlining its common case saves an
    // interpreted call and the `dv.buffer` getter per field: `dvBuffer` is set with `dv`, only
    // in `dataView`, so it is always `dv.buffer`, and `$memory.buffer` is still read once per
    // access, as before. (Reading it less often would need proof that no allocation in
    // between grew the memory: not worth the risk.)
    name: "data-view",
    apply(text, name) {
      // Every use is `dataView($memory).`, and `dv` is used only by the helper.
      const uses = count(text, "dataView($memory).");
      if (count(text, "dataView(") !== uses || count(text, "dv.") !== 1 || text.includes("dvBuffer")) {
        unexpected(name, "dataView or dv used otherwise");
      }
      text = replaceAll(
        name,
        text,
        "let dv = new DataView(new ArrayBuffer());\n" +
          "const dataView = mem => dv.buffer === mem.buffer ? dv : dv = new DataView(mem.buffer);\n",
        "let dv = new DataView(new ArrayBuffer());\n" +
          "let dvBuffer = dv.buffer;\n" +
          "const dataView = mem => mem.buffer === dvBuffer ? dv : dv = new DataView(dvBuffer = mem.buffer);\n",
        1,
      );
      return replaceAll(name, text, "dataView($memory).", "($memory.buffer === dvBuffer ? dv : dataView($memory)).", uses);
    },
  },
  {
    // Contract 0.1 lends the request (a borrow). Each export registers the request it lends the
    // plugin with a FinalizationRegistry (to drop the handle when the object is collected), and
    // each request method unregisters it again. The export's `finally` drops the borrow's
    // handle before returning, so the finalizer could only drop, later, a handle already
    // dropped. Every `register` is of this kind (checked); with them gone nothing is ever
    // registered and `unregister` is a no-op, so the calls in the methods go too.
    //
    // Contract 0.2 gives the request (an owned handle), and its bindings have no borrows. Each
    // export registers the request, and each request method unregisters it again (so after the
    // first call no finalizer is left anyway). The SDK drops the handle itself
    // (`[Symbol.dispose]`, which unregisters) when the plugin function returns, and the host
    // revokes a handle still held when the call returns: the finalizer never has a handle
    // left to drop. Only the request's registrations go; those of other resources (the
    // `public-key`s a plugin keeps) stay.
    name: "request-finalizer",
    apply(text, name) {
      if (text.includes("curResourceBorrows.push(")) {
        const register =
          /^([ \t]*)finalizationRegistry_import\$[\w$]+\.register\((rsc\d+), handle\d+, \2\);\n(?=\1curResourceBorrows\.push\(\{ rsc: \2, drop: )/gm;
        text = replaceAll(name, text, register, "", count(text, ".register("));
        const unregister =
          /^([ \t]*var handle0 = arg0\[symbolRscHandle\];\n)[ \t]*finalizationRegistry_import\$[\w$]+\.unregister\(arg0\);\n/gm;
        return replaceAll(name, text, unregister, "$1", count(text, ".unregister(arg0);"));
      }
      const registry = "finalizationRegistry_import$types_0_2_0$request";
      if (count(text, `${registry}.register(`) !== count(text, "await ") || text.includes("Borrows")) {
        unexpected(name, "a request registered other than once per export, or a borrow");
      }
      const register = /^[ \t]*finalizationRegistry_import\$types_0_2_0\$request\.register\((rsc\d+), handle\d+, \1\);\n/gm;
      text = replaceAll(name, text, register, "", count(text, `${registry}.register(`));
      const unregister =
        /^([ \t]*var handle0 = arg0\[symbolRscHandle\];\n)[ \t]*finalizationRegistry_import\$types_0_2_0\$request\.unregister\(arg0\);\n/gm;
      // Every request method's; the one left is in `[symbolDispose]`, a no-op now.
      return replaceAll(name, text, unregister, "$1", count(text, `${registry}.unregister(arg0);`));
    },
  },
];

// Replace every match of `pattern` (a string or a /g regex) in `text`, which must be `expected`
// (at least one) matches.
function replaceAll(name, text, pattern, replacement, expected) {
  const found = typeof pattern === "string" ? count(text, pattern) : (text.match(pattern)?.length ?? 0);
  if (found === 0 || found !== expected) {
    const shown = typeof pattern === "string" ? JSON.stringify(pattern.split("\n")[0]) : pattern;
    unexpected(name, `expected ${expected} of ${shown}, found ${found}`);
  }
  // A function, so that `$` in a string replacement is taken literally.
  return typeof pattern === "string" ? text.replaceAll(pattern, () => replacement) : text.replace(pattern, replacement);
}

function count(text, part) {
  return text.split(part).length - 1;
}

function unexpected(name, detail) {
  throw new Error(
    `componentize-js output changed: update bindings-rewrite.mjs (written for componentize-js ` +
      `${PINNED}); rewrite "${name}": ${detail}`,
  );
}

// _utf8AllocateAndEncode exactly as componentize-js 0.23.0 generates it.
const UTF8_ENCODER = `function _utf8AllocateAndEncode(s, realloc, memory) {
  if (typeof s !== 'string') {
    throw new TypeError('expected a string, received [' + typeof s + ']');
  }
  if (s.length === 0) { return { ptr: 1, len: 0 }; }
  // Compute the exact allocation size up front. Some older preview1
  // adapters only support an initial allocation, not a subsequent shrink.
  let len = 0;
  let codepoints = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    codepoints++;
    if (ch < 0x80) { len += 1; }
    else if (ch < 0x800) { len += 2; }
    else if (ch >= 0xd800 && ch <= 0xdbff &&
    i + 1 < s.length &&
    (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      len += 4;
      i++;
    } else { len += 3; }
  }
  const ptr = realloc(0, 0, 1, len);
  const { read, written } = TEXT_ENCODER_UTF8.encodeInto(
  s,
  new Uint8Array(memory.buffer, ptr, len),
  );
  if (read !== s.length || written !== len) {
    throw new Error('failed to encode whole string');
  }
  const res = { ptr, len, codepoints };
  return res;
}
`;

const FAST_UTF8_ENCODER = `function _utf8AllocateAndEncode(s, realloc, memory) {
  if (typeof s !== 'string') {
    throw new TypeError('expected a string, received [' + typeof s + ']');
  }
  if (s.length === 0) { return { ptr: 1, len: 0 }; }
  const bytes = TEXT_ENCODER_UTF8.encode(s);
  const len = bytes.length;
  const ptr = realloc(0, 0, 1, len);
  new Uint8Array(memory.buffer, ptr, len).set(bytes);
  return { ptr, len };
}
`;
