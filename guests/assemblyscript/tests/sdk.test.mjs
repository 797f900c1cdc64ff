// The SDK's pieces, through the probe module, against Node's own implementations and
// serde_json's rules.

import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { describe, test } from "node:test";

import { paths, Plugin } from "./harness.mjs";

const probe = Plugin.load(paths.probe);

/** Call a probe export with string and number arguments; strings are passed as the adapter
 * passes them (pinned for the call). */
function call(name, ...args) {
  const pinned = [];
  const raw = args.map((arg) => {
    if (typeof arg !== "string") return arg;
    const ptr = probe.newString(arg);
    probe.exports.__pin(ptr);
    pinned.push(ptr);
    return ptr;
  });
  try {
    const result = probe.exports[name](...raw);
    return typeof result === "number" && name !== "constantTimeEqualsHex" ? probe.readString(result) : result;
  } finally {
    for (const ptr of pinned) probe.exports.__unpin(ptr);
  }
}

/** Deterministic bytes, so that a failure reproduces. */
function bytes(length, seed) {
  const out = Buffer.alloc(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe("sha256", () => {
  test("matches node:crypto for every length from 0 to 200 and a long message", () => {
    for (const length of [...Array(201).keys(), 1000, 4096]) {
      const message = bytes(length, length);
      const expected = createHash("sha256").update(message).digest("hex");
      assert.equal(call("sha256Hex", message.toString("hex")), expected, `length ${length}`);
    }
  });
});

describe("hmac-sha256", () => {
  test("matches node:crypto for keys shorter than, equal to and longer than a block", () => {
    for (const keyLength of [0, 1, 20, 32, 63, 64, 65, 100, 200]) {
      for (const messageLength of [0, 1, 55, 56, 64, 100, 500]) {
        const key = bytes(keyLength, keyLength + 7);
        const message = bytes(messageLength, messageLength + 3);
        const expected = createHmac("sha256", key).update(message).digest("hex");
        assert.equal(call("hmacHex", key.toString("hex"), message.toString("hex")), expected);
      }
    }
  });

  test("RFC 4231 test case 2", () => {
    const tag = call("hmacHex", Buffer.from("Jefe").toString("hex"), Buffer.from("what do ya want for nothing?").toString("hex"));
    assert.equal(tag, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });
});

describe("constant-time compare", () => {
  test("equal, different and differently long", () => {
    assert.equal(call("constantTimeEqualsHex", "00ff10", "00ff10"), 1);
    assert.equal(call("constantTimeEqualsHex", "00ff10", "00ff11"), 0);
    assert.equal(call("constantTimeEqualsHex", "00ff10", "00ff"), 0);
    assert.equal(call("constantTimeEqualsHex", "", ""), 1);
  });
});

describe("base64", () => {
  test("encodes as node does, in both alphabets, padded or not", () => {
    for (let length = 0; length < 70; length++) {
      const data = bytes(length, length + 11);
      const hex = data.toString("hex");
      const standard = data.toString("base64");
      const url = data.toString("base64url");
      assert.equal(call("base64Encode", hex, 0, 1), standard);
      assert.equal(call("base64Encode", hex, 1, 0), url);
      assert.equal(call("base64Encode", hex, 0, 0), standard.replace(/=+$/, ""));
      assert.equal(call("base64Encode", hex, 1, 1), url + "=".repeat((4 - (url.length % 4)) % 4));
      assert.equal(call("base64Decode", standard, 0), hex);
      assert.equal(call("base64Decode", standard.replace(/=+$/, ""), 0), hex);
      assert.equal(call("base64Decode", url, 1), hex);
    }
  });

  test("refuses what the Rust base64 crate refuses", () => {
    const refused = [
      ["A", 1], // a lone final symbol
      ["QUJDR", 1],
      ["A===", 1], // padding longer than the group allows
      ["QUJD=", 1],
      ["QUJDRA===", 1],
      ["====", 1],
      ["=", 1],
      ["Q=Q=", 1], // padding in the middle
      ["QQ=x", 1],
      ["QR", 1], // non-zero bits past the last byte
      ["QUJ", 1],
      ["QQ+/", 1], // the standard alphabet's symbols in base64url
      ["QQ-_", 0], // and the other way round
      ["QQ==\n", 0],
      ["Q Q=", 0],
      ["é", 1],
    ];
    for (const [text, url] of refused) assert.equal(call("base64Decode", text, url), "!", JSON.stringify(text));
  });

  test("accepts padding that is shorter than canonical", () => {
    assert.equal(call("base64Decode", "QQ=", 1), "41");
    assert.equal(call("base64Decode", "QQ==", 1), "41");
    assert.equal(call("base64Decode", "QUI=", 1), "4142");
    assert.equal(call("base64Decode", "", 1), "");
  });
});

describe("utf-8", () => {
  test("decodes well-formed text", () => {
    for (const text of ["", "ascii", "Jürgen", "✓", "😀", "\u0000", "\u{10ffff}"]) {
      assert.equal(call("utf8Decode", Buffer.from(text).toString("hex")), text);
    }
  });

  test("refuses overlong forms, surrogates, out-of-range and truncated sequences", () => {
    for (const hex of ["c080", "c1bf", "e08080", "eda080", "edbfbf", "f08f8080", "f4908080", "f5808080", "ff", "80", "e282", "f09f98", "c3"]) {
      assert.equal(call("utf8Decode", hex), "!", hex);
    }
  });
});

describe("trim", () => {
  test("strips Rust's White_Space and nothing else", () => {
    assert.equal(call("trimText", "\u3000 \t x y \u2029\u0085"), "x y");
    assert.equal(call("trimText", "\ufeffx"), "\ufeffx");
    assert.equal(call("trimText", "   "), "");
  });
});

describe("config u64", () => {
  test("reads as Rust's u64::from_str reads the trimmed text", () => {
    assert.equal(call("configU64", "0"), "ok:0");
    assert.equal(call("configU64", " +42 "), "ok:42");
    assert.equal(call("configU64", "18446744073709551615"), "ok:18446744073709551615");
    for (const bad of ["-1", "-0", "soon", "", "+", "1_000", "18446744073709551616", "1.0", "0x10"]) {
      assert.match(call("configU64", bad), /^err:/, JSON.stringify(bad));
    }
  });
});

describe("json parser", () => {
  const nested = (n) => "[".repeat(n) + "]".repeat(n);
  const accepted = [
    ["{}", "{}"],
    [" \t\r\n[ 1 , 2 ]\n", "[1,2]"],
    ['{"a":1,"a":2}', '{"a":2}'],
    ['{"b":1,"a":2,"b":3}', '{"b":3,"a":2}'],
    ['{"a":{"x":1,"x":[true,false,null]}}', '{"a":{"x":[true,false,null]}}'],
    ['"\\ud83d\\ude00 \\u00E9 \\/ \\b\\f\\n\\r\\t \\" \\\\"', '"😀 é / \\b\\f\\n\\r\\t \\" \\\\"'],
    ['"\\u0000\\u001f\u007f"', '"\\u0000\\u001f\u007f"'],
    ["-0", "-0"],
    ["1.5e+3", "1.5e+3"],
    ["1E-3", "1E-3"],
    ["0.0", "0.0"],
    ["1e-400", "1e-400"],
    ["1.7976931348623157e308", "1.7976931348623157e308"],
    ["18446744073709551616", "18446744073709551616"],
    [nested(127), nested(127)],
    ['{"k":' + nested(126) + "}", '{"k":' + nested(126) + "}"],
  ];
  const refused = [
    "",
    "   ",
    "\ufeff{}",
    "{} x",
    "[1]]",
    "[1,]",
    '{"a":1,}',
    "[1 2]",
    '{"a" 1}',
    "{1:2}",
    "{'a':1}",
    "01",
    "-01",
    "1.",
    ".5",
    "-",
    "+1",
    "1e",
    "1e+",
    "1e400",
    "-1e400",
    "1" + "0".repeat(400),
    "NaN",
    "Infinity",
    "tru",
    "nul",
    "True",
    '"\\x"',
    '"\\u12"',
    '"\\u12g4"',
    '"\\ud800"',
    '"\\ud800x"',
    '"\\udc00"',
    '"\\ud800\\u0041"',
    '"\\ud800\\ud800"',
    '"a\nb"',
    '"a\tb"',
    '"open',
    "[\f]",
    nested(128),
    '{"k":' + nested(127) + "}",
    "/* c */ 1",
  ];

  for (const [text, written] of accepted) {
    test(`accepts ${JSON.stringify(text).slice(0, 60)}`, () => {
      assert.equal(call("jsonCheck", text), `ok:${written}`);
    });
  }
  for (const text of refused) {
    test(`refuses ${JSON.stringify(text).slice(0, 60)}`, () => {
      assert.match(call("jsonCheck", text), /^err:/);
    });
  }
});
