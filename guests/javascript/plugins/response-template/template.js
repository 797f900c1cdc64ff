// Template rendering: `{{name}}` placeholders in JSON text.

import { InvalidConfig } from "../../sdk/errors.js";
import { trim } from "../../sdk/text.js";

const PLAIN = /[^{"\\]+/y;

/**
 * Render `template`, replacing each `{{name}}` with what `resolve` gives for `name`.
 *
 * The template is read as JSON text, so that a value landing inside a JSON string is escaped
 * as a JSON string's content, while a value outside a string (say `{{now_unix}}` as a number)
 * is inserted as it is. A value `resolve` does not have is empty inside a string and `null`
 * outside one, which keeps the output valid JSON.
 */
export function render(template, resolve) {
  let out = "";
  let inString = false;
  let escaped = false;
  for (let i = 0; i < template.length; ) {
    if (template.startsWith("{{", i)) {
      const end = template.indexOf("}}", i + 2);
      if (end < 0) throw new InvalidConfig("config key `template`: a `{{` is never closed");
      const value = resolve(trim(template.slice(i + 2, end)));
      if (inString) out += escape(value ?? "");
      else out += value ?? "null";
      i = end + 2;
      continue;
    }
    if (!escaped) {
      // A run without quotes, backslashes or braces changes no state: copy it whole, since
      // StarlingMonkey interprets a per-character loop slowly.
      PLAIN.lastIndex = i;
      const run = PLAIN.exec(template);
      if (run !== null) {
        out += run[0];
        i += run[0].length;
        continue;
      }
    }
    const c = template[i];
    out += c;
    if (!inString) inString = c === '"';
    else if (escaped) escaped = false;
    else if (c === "\\") escaped = true;
    else if (c === '"') inString = false;
    i++;
  }
  return out;
}

const ESCAPES = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `value` escaped as the content of a JSON string (RFC 8259 section 7). */
export function escape(value) {
  return value.replace(/["\\\x00-\x1f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
