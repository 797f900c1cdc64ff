// The plugin's configuration, read from the manifest's `[config]` table.

import { config, InvalidConfig } from "../../sdk/index.js";
import { encodeUtf8 } from "../../sdk/values.js";

/**
 * `secret`: the HMAC-SHA256 key as bytes; `issuer`: the required `iss` claim, when configured;
 * `audience`: the value the `aud` claim must be or contain, when configured; `leeway`: seconds
 * of clock skew tolerated on `exp` and `nbf`.
 */
export function loadSettings() {
  const secret = config.require("secret");
  // An empty key makes every signature forgeable.
  if (secret === "") throw new InvalidConfig("config key `secret` is empty");
  return {
    secret: encodeUtf8(secret),
    issuer: config.get("issuer"),
    audience: config.get("audience"),
    leeway: Number(config.uint("leeway-seconds") ?? 0),
  };
}
