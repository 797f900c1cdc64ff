import { Config, HmacSha256, PluginError } from "../../sdk";

/** The plugin's configuration, read from the manifest's `[config]` table; `error` is set
 * instead when it is unusable. */
export class Settings {
  /** HMAC-SHA256 keyed with the `secret` config value, ready to verify signatures. */
  mac: HmacSha256 | null = null;
  /** The required `iss` claim, when configured. */
  issuer: string | null = null;
  /** The value the `aud` claim must be or contain, when configured. */
  audience: string | null = null;
  /** Seconds of clock skew tolerated on `exp` and `nbf`. */
  leeway: u64 = 0;
  /** Why the configuration cannot be used, when it cannot. */
  error: PluginError | null = null;

  static load(config: Config): Settings {
    const settings = new Settings();
    const secret = config.get("secret");
    if (secret === null) return settings.fail("missing config key `secret`");
    // An empty key makes every signature forgeable.
    if (secret.length == 0) return settings.fail("config key `secret` is empty");
    settings.mac = keyFor(secret);
    settings.issuer = config.get("issuer");
    settings.audience = config.get("audience");
    const leeway = config.u64("leeway-seconds");
    const invalid = leeway.error;
    if (invalid !== null) return settings.fail(invalid);
    settings.leeway = leeway.value;
    return settings;
  }

  private fail(message: string): Settings {
    this.error = PluginError.invalidConfig(message);
    return this;
  }
}

// The key's padded blocks are hashed once per secret, not once per request: the instance
// lives across calls and the secret rarely changes.
let cachedSecret: string | null = null;
let cachedMac: HmacSha256 | null = null;

function keyFor(secret: string): HmacSha256 {
  const cached = cachedMac;
  if (cached !== null && cachedSecret == secret) return cached;
  const mac = HmacSha256.fromString(secret);
  cachedSecret = secret;
  cachedMac = mac;
  return mac;
}
