// `mockforge:plugin/log` stand-in: the records, for tests to read.

/** Every record logged: [level, message, fields]. */
export const records = [];

/** Keep the record. */
export function log(level, message, fields) {
  records.push([level, message, fields]);
}
