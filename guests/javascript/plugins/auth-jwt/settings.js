// The plugin's configuration, read from the manifest's `[config]` table.

import { config, crypto, files, InvalidConfig, jwt, utf8 } from "../../sdk/index.js";
import { debugStr, trim } from "../../sdk/text.js";

import * as keys from "./keys.js";

/** The HMAC algorithms, by their JWS names, and the hash each uses. */
const HMAC_HASHES = Object.freeze({ HS256: "sha256", HS384: "sha384", HS512: "sha512" });
/** Every algorithm `algorithms` may list. */
const KNOWN_ALGORITHMS = [...Object.keys(HMAC_HASHES), ...crypto.SIGNATURE_ALGORITHMS];

/**
 * `secret`: the HMAC key (bytes) of HS256/384/512, when configured; `keys`: the public keys of
 * RS/PS/ES/EdDSA (keys.js); `algorithms`: the `Set` of algorithms a token may use; `issuer`:
 * the required `iss` claim, when configured; `audience`: the value the `aud` claim must be or
 * contain, when configured; `leeway`: seconds of clock skew tolerated on `exp` and `nbf`;
 * `verifier`: the host's `jwt.Verifier` for all of these.
 */
export function loadSettings() {
  const secret = config.get("secret");
  // An empty key makes every signature forgeable.
  if (secret === "") throw new InvalidConfig("config key `secret` is empty");
  const publicKeys = loadKeys();
  if (secret === undefined && publicKeys.length === 0) {
    throw new InvalidConfig("no key to verify tokens with: set `secret`, `public-key`, `jwks` or `jwks-file`");
  }
  const settings = {
    secret: secret === undefined ? undefined : utf8.encode(secret),
    keys: publicKeys,
    algorithms: loadAlgorithms(secret !== undefined, publicKeys),
    issuer: config.get("issuer"),
    audience: config.get("audience"),
    leeway: Number(config.uint("leeway-seconds") ?? 0),
  };
  // The host checks every token against all of the above.
  try {
    settings.verifier = new jwt.Verifier(settings.algorithms, settings);
  } catch (e) {
    // What the checks above let through: a limit of the host (too many keys).
    if (e instanceof crypto.CryptoError) throw new InvalidConfig(`the host's token verifier: ${e.message}`);
    throw e;
  }
  return settings;
}

// Every public key configured, in the order `public-key`, `jwks`, `jwks-file`.
function loadKeys() {
  const found = [];
  const pem = config.get("public-key");
  if (pem !== undefined) found.push(keys.fromPem(pem));
  const jwks = config.get("jwks");
  if (jwks !== undefined) found.push(...keys.fromJwks(jwks, "config key `jwks`"));
  const path = config.get("jwks-file");
  if (path !== undefined) {
    const source = `config key \`jwks-file\` = ${debugStr(path)}`;
    let text;
    try {
      // The manifest must grant its folder (`[capabilities] dirs`).
      text = files.readText(path);
    } catch (e) {
      if (e instanceof files.FileError) throw new InvalidConfig(`${source}: ${e.message}`);
      throw e;
    }
    found.push(...keys.fromJwks(text, source));
  }
  return found;
}

// `algorithms` (JWS names separated by commas; spaces around them and empty entries ignored),
// each of which must have a key to verify it; by default HS256 for a secret and every
// algorithm a public key's type verifies.
function loadAlgorithms(hasSecret, publicKeys) {
  const keyTypes = new Set(publicKeys.map((key) => key.key.keyType));
  const listed = config.get("algorithms");
  if (listed === undefined) {
    const defaults = new Set(hasSecret ? ["HS256"] : []);
    for (const keyType of keyTypes) for (const alg of crypto.ALGORITHMS_BY_KEY_TYPE[keyType]) defaults.add(alg);
    return defaults;
  }
  const names = listed
    .split(",")
    .map(trim)
    .filter((name) => name !== "");
  if (names.length === 0) throw new InvalidConfig("config key `algorithms`: lists no algorithm");
  for (const name of names) {
    if (!KNOWN_ALGORITHMS.includes(name)) {
      throw new InvalidConfig(
        `config key \`algorithms\`: ${debugStr(name)} is not an algorithm this plugin verifies (${KNOWN_ALGORITHMS.join(", ")})`,
      );
    }
    const hmac = Object.hasOwn(HMAC_HASHES, name);
    const verifiable = hmac ? hasSecret : [...keyTypes].some((t) => crypto.ALGORITHMS_BY_KEY_TYPE[t].includes(name));
    if (!verifiable) {
      const missing = hmac ? "`secret` is not set" : "no public key of its type is configured";
      throw new InvalidConfig(`config key \`algorithms\` lists ${name} but ${missing}`);
    }
  }
  return new Set(names);
}

let current;

/** The settings, read from the host on the first call and kept after: a plugin's
 * configuration is fixed for the life of its instances (and the keys, once read by the host,
 * are kept with them). A configuration that does not load is not kept, so that every call
 * reports it. */
export function currentSettings() {
  current ??= loadSettings();
  return current;
}
