// Structured logging into the host's log, where each record is tagged with the plugin's name.
//
//     log.info("user looked up", { id: "42", cache: "miss" });

import { log as witLog } from "mockforge:plugin/log@0.1.0";

/** Log `message` at `level` ("trace" .. "error") with `fields`, an object or [name, value] pairs. */
export function log(level, message, fields = {}) {
  const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
  witLog(level, message, pairs.map(([n, v]) => [String(n), String(v)]));
}

/** Log at trace level. */
export const trace = (message, fields) => log("trace", message, fields);
/** Log at debug level. */
export const debug = (message, fields) => log("debug", message, fields);
/** Log at info level. */
export const info = (message, fields) => log("info", message, fields);
/** Log at warn level. */
export const warn = (message, fields) => log("warn", message, fields);
/** Log at error level. */
export const error = (message, fields) => log("error", message, fields);
