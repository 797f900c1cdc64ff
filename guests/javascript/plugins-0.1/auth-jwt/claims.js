// The registered claims of a verified token, and the identity it describes.

import { Identity } from "../../sdk-0.1/index.js";

import {
  EXPIRED,
  INVALID_AUDIENCE,
  INVALID_ISSUER,
  MALFORMED,
  MISSING_SUBJECT,
  NOT_YET_VALID,
  Rejection,
} from "./rejection.js";
import * as strictJson from "./strict-json.js";

/** Check the claims (a `Map`) against the clock (`now`, seconds since the Unix epoch) and the
 * configured issuer and audience, in the Rust plugin's order. */
export function check(claims, settings, now) {
  const leeway = settings.leeway;
  const exp = numericDate(claims, "exp");
  // RFC 7519 4.1.4: the token must not be accepted on or after `exp`.
  if (exp !== undefined && now >= exp + leeway) throw new Rejection(EXPIRED);
  const nbf = numericDate(claims, "nbf");
  if (nbf !== undefined && now + leeway < nbf) throw new Rejection(NOT_YET_VALID);
  if (settings.issuer !== undefined && string(claims, "iss") !== settings.issuer) {
    throw new Rejection(INVALID_ISSUER);
  }
  if (settings.audience !== undefined) {
    // RFC 7519 4.1.3: `aud` is one string or an array of them.
    const aud = claims.get("aud");
    const matches = Array.isArray(aud) ? aud.includes(settings.audience) : aud === settings.audience;
    if (!matches) throw new Rejection(INVALID_AUDIENCE);
  }
}

/** The identity a verified token describes; every claim is also passed on as JSON text. */
export function identity(claims) {
  const subject = string(claims, "sub");
  if (!subject) throw new Rejection(MISSING_SUBJECT);
  const texts = [];
  claims.forEach((value, name) => texts.push([name, strictJson.stringify(value)]));
  return new Identity(subject, {
    username: string(claims, "preferred_username") ?? string(claims, "username"),
    email: string(claims, "email"),
    displayName: string(claims, "name"),
    roles: strings(claims.get("roles")),
    groups: strings(claims.get("groups")),
    claims: texts,
  });
}

// Claim `name` as a NumericDate; a claim of another type makes the token malformed.
function numericDate(claims, name) {
  if (!claims.has(name)) return undefined;
  const value = claims.get(name);
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return value;
  throw new Rejection(MALFORMED);
}

function string(claims, name) {
  const value = claims.get(name);
  return typeof value === "string" ? value : undefined;
}

// The strings of a claim holding an array; anything else in it is ignored.
function strings(claim) {
  return Array.isArray(claim) ? claim.filter((item) => typeof item === "string") : [];
}
