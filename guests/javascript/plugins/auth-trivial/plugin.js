// The benchmark auth plugin: it allows a request whose `authorization` header is exactly
// `Bearer good`, denies any other value and abstains without the header, so that a benchmark
// measures the plugin call itself.

import { Abstain, defineAuthPlugin, Denial, Identity } from "../../sdk/index.js";

const ABSTAIN = new Abstain();

export const auth = defineAuthPlugin({
  authenticate(req) {
    const value = req.header("authorization");
    if (value === undefined) return ABSTAIN;
    return value === "Bearer good" ? new Identity("good") : new Denial(401, "denied");
  },
});
