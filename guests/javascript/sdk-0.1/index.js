// Write MockForge plugins in JavaScript.
//
// Define the plugin with `defineAuthPlugin` or `defineResponsePlugin` and export the result
// under the interface's name; build.sh turns the module into a WebAssembly component that
// implements the `auth-plugin` or `response-plugin` world of `mockforge:plugin@0.1.0`:
//
//     import { defineAuthPlugin, Denial, Identity } from "../../sdk/index.js";
//
//     export const auth = defineAuthPlugin({
//       authenticate(req) {
//         const who = req.header("x-knock");
//         return who ? new Identity(who) : new Denial(401, "knock first");
//       },
//     });

export { defineAuthPlugin, defineResponsePlugin } from "./define.js";
export { InternalError, InvalidConfig, InvalidRequest, PluginError } from "./errors.js";
export { Denial, Identity, Response } from "./values.js";
export * as config from "./config.js";
export * as log from "./log.js";
