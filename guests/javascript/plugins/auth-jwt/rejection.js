// Why a request's bearer token was refused: `throw new Rejection(MALFORMED)`.

import { Denial } from "../../sdk/index.js";

export const MISSING_TOKEN = "missing bearer token";
export const MALFORMED = "malformed token";
export const UNSUPPORTED_ALGORITHM = "unsupported algorithm";
export const INVALID_SIGNATURE = "invalid signature";
export const EXPIRED = "token expired";
export const NOT_YET_VALID = "token not yet valid";
export const INVALID_ISSUER = "invalid issuer";
export const INVALID_AUDIENCE = "invalid audience";
export const MISSING_SUBJECT = "missing subject";

/** The text of each reason the host's verifier gives (`jwt.REASONS` of the SDK). */
export const REASONS = Object.freeze({
  __proto__: null,
  malformed: MALFORMED,
  "unsupported-algorithm": UNSUPPORTED_ALGORITHM,
  "invalid-signature": INVALID_SIGNATURE,
  expired: EXPIRED,
  "not-yet-valid": NOT_YET_VALID,
  "invalid-issuer": INVALID_ISSUER,
  "invalid-audience": INVALID_AUDIENCE,
});

/** A refused token; `reason` is one of this module's constants, the text the client sees. */
export class Rejection {
  constructor(reason) {
    this.reason = reason;
  }

  /** The 401 answer, with the RFC 6750 challenge: a request that sent no token gets no error
   * code, one that sent a bad token gets `invalid_token`. */
  denial() {
    const challenge =
      this.reason === MISSING_TOKEN ? 'Bearer realm="mockforge"' : 'Bearer realm="mockforge", error="invalid_token"';
    return new Denial(401, this.reason, [["WWW-Authenticate", challenge]]);
  }
}
