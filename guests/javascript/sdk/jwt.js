// JSON Web Token verification done natively by the host (the WIT `crypto.jwt-verifier`): one
// call checks a token's signature, its `exp` and `nbf`, its issuer and audience, and gives back
// the payload's JSON text. A plugin makes its verifier once (at the first call, from its
// configuration) and keeps it; in QuickJS a call costs about as much as one host call, where
// decoding and checking the token in JavaScript cost several times that.
//
//     const verifier = new jwt.Verifier(["HS256"], { secret: "...", issuer: "https://id.example" });
//     try {
//       const payload = verifier.verify(token);   // the payload's JSON text
//     } catch (e) {
//       if (!(e instanceof jwt.Rejected)) throw e;
//       e.reason;                                  // "expired", "invalid-signature", ...
//     }
//
// The checks and their order (each failure is one of REASONS, the first that applies): the
// token's shape ("malformed"); its header's `alg` among the accepted algorithms
// ("unsupported-algorithm"; `none` never is); the keys that may verify it: by `kid` (none:
// "invalid-signature"), then by type and pinned algorithm (none: "unsupported-algorithm",
// nothing tried, so that a public key never serves as an HMAC secret); the signature
// ("invalid-signature"); the payload, a JSON object ("malformed"); `exp` and `nbf` with the
// leeway ("expired", "not-yet-valid"; not a number: "malformed"); `iss` ("invalid-issuer");
// `aud` ("invalid-audience").

import { crypto as wit, errorPayload } from "./bindings.js";
import { HOST_KEY, hostCall } from "./crypto.js";
import { encode } from "./utf8.js";

/** Every reason `Rejected` gives, in the order the checks run. */
export const REASONS = Object.freeze([
  "malformed",
  "unsupported-algorithm",
  "invalid-signature",
  "expired",
  "not-yet-valid",
  "invalid-issuer",
  "invalid-audience",
]);

/** Every algorithm a verifier may accept, by its JWS name. */
export const ALGORITHMS = Object.freeze([
  "HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
  "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA",
]);

/** A refused token; `reason` is one of REASONS. */
export class Rejected extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

/**
 * Verifies tokens under one configuration: `algorithms`, the JWS names accepted; `secret`, the
 * HMAC key (bytes, or a string taken as its UTF-8 bytes); `keys`, the public keys as
 * `{ kid, alg, key }` (`kid`: a token naming another `kid` is not tried with it; `alg`: the
 * one JWS algorithm the key may verify, a JWK's `alg`; `key`: a `crypto.PublicKey`); `issuer`
 * and `audience`, the `iss` and `aud` required when set; `leeway`, seconds of clock skew
 * tolerated on `exp` and `nbf`. `crypto.InvalidKey` when the settings cannot verify safely (an
 * empty secret, an algorithm with no key to verify it); a `TypeError` for an algorithm name
 * outside ALGORITHMS.
 */
export class Verifier {
  #verifier;

  constructor(algorithms, { secret, keys = [], issuer, audience, leeway = 0 } = {}) {
    const names = [...algorithms];
    for (const name of names) {
      if (!ALGORITHMS.includes(name)) {
        throw new TypeError(`unknown JWS algorithm ${JSON.stringify(name)}: one of ${ALGORITHMS.join(", ")}`);
      }
    }
    const settings = {
      // The WIT enum's case names are the JWS names in lower case.
      algorithms: names.map((name) => name.toLowerCase()),
      secret: typeof secret === "string" ? encode(secret) : secret,
      keys: keys.map(({ kid, alg, key }) => ({ kid, alg, key: key[HOST_KEY] })),
      issuer,
      audience,
      leewaySeconds: Number(leeway),
    };
    this.#verifier = hostCall(() => wit.JwtVerifier.create(settings));
  }

  /** The payload of `token` (its JSON object's text, as the token carries it) when every
   * check passes; `Rejected` with the first that fails. */
  verify(token) {
    try {
      return this.#verifier.verify(token);
    } catch (e) {
      throw rejected(e);
    }
  }
}

// The `Rejected` of a `jwt-rejection` the host returned (an engine throws the enum's case
// name, or a `{ tag }`), or `e` itself when it is some other exception.
function rejected(e) {
  const payload = e !== null && typeof e === "object" ? e.payload : undefined;
  const reason = typeof payload === "string" ? payload : errorPayload(e)?.tag;
  return REASONS.includes(reason) ? new Rejected(reason) : e;
}
