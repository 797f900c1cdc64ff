// The plugin's configuration, read from the manifest's `[config]` table.

import { HmacSha256Key } from "../../sdk-0.1/crypto.js";
import { config, InvalidConfig } from "../../sdk-0.1/index.js";
import { encodeUtf8 } from "../../sdk-0.1/values.js";

/**
 * `key`: the HMAC-SHA256 key made of the `secret`; `issuer`: the required `iss` claim, when
 * configured; `audience`: the value the `aud` claim must be or contain, when configured;
 * `leeway`: seconds of clock skew tolerated on `exp` and `nbf`.
 */
export async function loadSettings() {
  const secret = config.require("secret");
  // An empty key makes every signature forgeable.
  if (secret === "") throw new InvalidConfig("config key `secret` is empty");
  return {
    key: await HmacSha256Key.of(encodeUtf8(secret)),
    issuer: config.get("issuer"),
    audience: config.get("audience"),
    leeway: Number(config.uint("leeway-seconds") ?? 0),
  };
}

let current;

/** The settings, read from the host on the first call and kept after: a plugin's
 * configuration is fixed for the life of its instances, and each read is a call into the
 * host. A configuration that does not load is not kept, so that every call reports it. */
export async function currentSettings() {
  current ??= await loadSettings();
  return current;
}
