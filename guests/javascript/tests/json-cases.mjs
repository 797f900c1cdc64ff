// JSON texts and whether the SDK's strict `json.parse` reads them (as serde_json does).

const deep = (n) => `{"d":${"[".repeat(n - 1)}${"]".repeat(n - 1)}}`;

/** [text, read?] */
export const JSON_CASES = [
  ['{"a":1}', true],
  [' [1, 2.5e3, -0, "x"] ', true],
  ['{"s":"\\ud83d\\ude00"}', true],
  ['{"s":"\\\\ud800"}', true],
  ['{"n":1e308, "m":1e-400}', true],
  [deep(127), true],
  ['{"sub":"\\ud800"}', false],
  ['{"sub":"\\udc00x"}', false],
  ['{"s":"\\ud83d\\u0041"}', false],
  ['{"s":"\\ud83dx\\ude00"}', false],
  ['{"n":1e400}', false],
  ['{"n":-1E+400}', false],
  [`{"n":1${"0".repeat(309)}}`, false],
  [deep(128), false],
  ["\ufeff{}", false],
  ['{"a":1,}', false],
  ['{"n":01}', false],
  ["", false],
  ["{'a':1}", false],
];

/** Bytes that are not UTF-8. */
export const NOT_UTF8 = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x7b, 0x22, 0xf5, 0x22, 0x7d]];
