// `mockforge:plugin/config` stand-in: the values a test sets.

/** The configuration the plugin sees; tests set it. */
export const values = new Map();

/** The value of `key`, or null (none). */
export function get(key) {
  return values.has(key) ? values.get(key) : null;
}

/** Every key, sorted. */
export function keys() {
  return [...values.keys()].sort();
}
