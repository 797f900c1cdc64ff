import { Denial, Outcome } from "../../sdk";

/** Why a request's bearer token was refused. */
export const enum Rejection {
  MissingToken,
  Malformed,
  UnsupportedAlgorithm,
  InvalidSignature,
  Expired,
  NotYetValid,
  InvalidIssuer,
  InvalidAudience,
  MissingSubject,
}

/** The reason the client sees. */
export function reason(rejection: Rejection): string {
  switch (rejection) {
    case Rejection.MissingToken: return "missing bearer token";
    case Rejection.Malformed: return "malformed token";
    case Rejection.UnsupportedAlgorithm: return "unsupported algorithm";
    case Rejection.InvalidSignature: return "invalid signature";
    case Rejection.Expired: return "token expired";
    case Rejection.NotYetValid: return "token not yet valid";
    case Rejection.InvalidIssuer: return "invalid issuer";
    case Rejection.InvalidAudience: return "invalid audience";
    default: return "missing subject";
  }
}

/** The 401 answer, with the RFC 6750 challenge: a request that sent no token gets no error
 * code, one that sent a bad token gets `invalid_token`. */
export function refuse(rejection: Rejection): Outcome {
  const challenge = rejection == Rejection.MissingToken
    ? 'Bearer realm="mockforge"'
    : 'Bearer realm="mockforge", error="invalid_token"';
  return Outcome.denyWith(new Denial(401, reason(rejection)).withHeader("WWW-Authenticate", challenge));
}
