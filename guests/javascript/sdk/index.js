// Write MockForge plugins in JavaScript.
//
// Define the plugin with `defineAuthPlugin` or `defineResponsePlugin` and export the result
// under the interface's name; build.sh turns the module into a WebAssembly component that
// implements the `auth-plugin` or `response-plugin` world of `mockforge:plugin@0.2.0`:
//
//     import { Abstain, defineAuthPlugin, Denial, Identity } from "../../sdk/index.js";
//
//     export const auth = defineAuthPlugin({
//       authenticate(req) {
//         const who = req.header("x-knock");
//         if (who === undefined) return new Abstain();
//         return who ? new Identity(who) : new Denial(401, "knock first");
//       },
//     });

export { defineAuthPlugin, defineResponsePlugin } from "./define.js";
export { InternalError, InvalidConfig, InvalidRequest, PluginError } from "./errors.js";
export { Request } from "./request.js";
export { Abstain, Denial, Identity, Response } from "./values.js";
export * as config from "./config.js";
export * as crypto from "./crypto.js";
export * as files from "./files.js";
export * as json from "./json.js";
export * as jwt from "./jwt.js";
export * as kv from "./kv.js";
export * as log from "./log.js";
export * as utf8 from "./utf8.js";
