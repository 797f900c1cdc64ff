// The benchmark auth plugin: it allows a request whose `authorization` header is exactly
// `Bearer good` and denies every other, so that a benchmark measures the plugin call itself.

import { defineAuthPlugin, Denial, Identity } from "../../sdk-0.1/index.js";

export const auth = defineAuthPlugin({
  authenticate(req) {
    return req.header("authorization") === "Bearer good" ? new Identity("good") : new Denial(401, "denied");
  },
});
