import { answer } from "./answer";
import { JsonParser } from "./json/parser";
import { Outcome } from "./outcome";
import { PluginError } from "./plugin-error";
import { Request } from "./request";

/** An auth plugin: decide on one request. */
export type Authenticate = (request: Request) => Outcome;

/** Run `plugin` on the family-A input JSON and return the answer JSON. A plugin module's
 * exported `authenticate` is this one call:
 *
 * ```ts
 * export function authenticate(input: string): string {
 *   return handleAuthenticate(input, decide);
 * }
 * ```
 *
 * Input the host should never send (not a JSON object) is answered with an
 * `invalid-request` plugin error rather than a trap. */
export function handleAuthenticate(input: string, plugin: Authenticate): string {
  const parser = new JsonParser(input);
  const root = parser.parse();
  if (root === null) {
    return answer(Outcome.fail(PluginError.invalidRequest("the host's input is not JSON: " + parser.error)));
  }
  const object = root.asObject();
  if (object === null) {
    return answer(Outcome.fail(PluginError.invalidRequest("the host's input is not a JSON object")));
  }
  return answer(plugin(new Request(object)));
}
