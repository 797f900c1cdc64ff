// The public keys a token may be signed with, read from the configuration through the host's
// crypto: one PEM (`public-key`), an inline JWKS (`jwks`) or a JWKS file (`jwks-file`).

import { crypto, InvalidConfig, json } from "../../sdk/index.js";

/** One verification key: `key`, the host's `PublicKey`; `kid`, its id in the JWKS
 * (`undefined` for the PEM key or a JWK without one); `alg`, the one algorithm its JWK says it
 * verifies, when it says. */
export class Key {
  constructor(key, kid, alg) {
    this.key = key;
    this.kid = kid;
    this.alg = alg;
  }
}

/** The key of `public-key`, a PEM public key. */
export function fromPem(pem) {
  try {
    return new Key(crypto.PublicKey.fromPem(pem), undefined, undefined);
  } catch (e) {
    if (e instanceof crypto.CryptoError) throw new InvalidConfig(`config key \`public-key\`: ${e.message}`);
    throw e;
  }
}

/**
 * The keys of a JWK Set (RFC 7517 section 5): a JSON object whose `keys` member is a non-empty
 * array of objects, each handed to the host as its own JSON text (its `kid` and `alg`, when
 * strings, kept here). `source` names where it came from, for messages; anything else, or a
 * key the host does not read, is a configuration error.
 */
export function fromJwks(text, source) {
  const jwks = json.parse(text);
  if (jwks === undefined) throw new InvalidConfig(`${source}: not JSON`);
  const members = json.isObject(jwks) ? jwks.keys : undefined;
  if (!Array.isArray(members)) throw new InvalidConfig(`${source}: not a JWKS: no \`keys\` array`);
  if (members.length === 0) throw new InvalidConfig(`${source}: the JWKS holds no key`);
  const keys = [];
  for (let index = 0; index < members.length; index++) {
    const jwk = members[index];
    if (!json.isObject(jwk)) throw new InvalidConfig(`${source}: key ${index} is not a JSON object`);
    let key;
    try {
      key = crypto.PublicKey.fromJwk(jwk);
    } catch (e) {
      if (e instanceof crypto.CryptoError) throw new InvalidConfig(`${source}: key ${index}: ${e.message}`);
      throw e;
    }
    keys.push(new Key(key, textMember(jwk, "kid"), textMember(jwk, "alg")));
  }
  return keys;
}

function textMember(jwk, name) {
  const value = Object.hasOwn(jwk, name) ? jwk[name] : undefined;
  return typeof value === "string" ? value : undefined;
}
