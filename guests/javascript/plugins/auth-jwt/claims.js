// The registered claims of a verified token, and the identity it describes.

import { Identity } from "../../sdk/index.js";

import {
  EXPIRED,
  INVALID_AUDIENCE,
  INVALID_ISSUER,
  MALFORMED,
  MISSING_SUBJECT,
  NOT_YET_VALID,
  Rejection,
} from "./rejection.js";

/** Check the claims (the payload object) against the clock (`now`, seconds since the Unix
 * epoch) and the configured issuer and audience, in the Rust plugin's order. */
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
    const aud = own(claims, "aud");
    const matches = Array.isArray(aud) ? aud.includes(settings.audience) : aud === settings.audience;
    if (!matches) throw new Rejection(INVALID_AUDIENCE);
  }
}

/** The identity a verified token describes (`payload`: `{ claims, text }` of its payload); its
 * claims are the whole payload, handed to the host as the token's own JSON text. */
export function identity({ claims, text }) {
  const subject = string(claims, "sub");
  if (!subject) throw new Rejection(MISSING_SUBJECT);
  return new Identity(subject, {
    username: string(claims, "preferred_username") ?? string(claims, "username"),
    email: string(claims, "email"),
    displayName: string(claims, "name"),
    roles: strings(own(claims, "roles")),
    groups: strings(own(claims, "groups")),
    claims: text,
  });
}

// Claim `name` as a NumericDate; a claim of another type makes the token malformed.
function numericDate(claims, name) {
  if (!Object.hasOwn(claims, name)) return undefined;
  const value = claims[name];
  if (typeof value === "number") return value;
  throw new Rejection(MALFORMED);
}

// The payload's own member `name` (never one inherited from Object.prototype).
function own(claims, name) {
  return Object.hasOwn(claims, name) ? claims[name] : undefined;
}

function string(claims, name) {
  const value = own(claims, name);
  return typeof value === "string" ? value : undefined;
}

// The strings of a claim holding an array; anything else in it is ignored.
function strings(claim) {
  return Array.isArray(claim) ? claim.filter((item) => typeof item === "string") : [];
}
