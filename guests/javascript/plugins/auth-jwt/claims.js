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
    const aud = claims.aud;
    const matches = Array.isArray(aud) ? aud.includes(settings.audience) : aud === settings.audience;
    if (!matches) throw new Rejection(INVALID_AUDIENCE);
  }
}

/** The identity a verified token describes (`payload`: `{ claims, text }` of its payload); its
 * claims are the whole payload, handed to the host as the token's own JSON text. */
export function identity({ claims, text }) {
  const subject = claims.sub;
  if (typeof subject !== "string" || subject === "") throw new Rejection(MISSING_SUBJECT);
  // Every call of the plugin comes here: the claims are read inline rather than through
  // helpers (each call of a JavaScript function costs in QuickJS).
  const preferred = claims.preferred_username;
  const username = claims.username;
  const email = claims.email;
  const name = claims.name;
  return new Identity(subject, {
    username: typeof preferred === "string" ? preferred : typeof username === "string" ? username : undefined,
    email: typeof email === "string" ? email : undefined,
    displayName: typeof name === "string" ? name : undefined,
    roles: strings(claims.roles),
    groups: strings(claims.groups),
    claims: text,
  });
}

// The claims are read by name directly: none of the names this module reads is a member of
// Object.prototype, so an absent claim reads as `undefined` (which JSON cannot hold).

// Claim `name` as a NumericDate; a claim of another type makes the token malformed.
function numericDate(claims, name) {
  const value = claims[name];
  if (value === undefined || typeof value === "number") return value;
  throw new Rejection(MALFORMED);
}

function string(claims, name) {
  const value = claims[name];
  return typeof value === "string" ? value : undefined;
}

// The strings of a claim holding an array; anything else in it is ignored.
function strings(claim) {
  if (!Array.isArray(claim)) return [];
  const found = [];
  for (let i = 0; i < claim.length; i++) if (typeof claim[i] === "string") found.push(claim[i]);
  return found;
}
