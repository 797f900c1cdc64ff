// The identity a verified token's payload describes.

import { Identity } from "../../sdk/index.js";

import { MALFORMED, MISSING_SUBJECT, Rejection } from "./rejection.js";

// A client sends the same token with every request until it expires: the identity of the last
// payload is kept (the signature and the clock are checked on every call all the same).
let lastPayload;
let lastIdentity;

/** The identity of a verified payload (a JSON object's text, which the host has checked); its
 * claims are the whole payload, handed back to the host as the token's own text. */
export function identity(text) {
  if (text === lastPayload) return lastIdentity;
  const claims = JSON.parse(text);
  if (claims === null || typeof claims !== "object" || Array.isArray(claims)) throw new Rejection(MALFORMED);
  lastIdentity = read(claims, text);
  lastPayload = text;
  return lastIdentity;
}

function read(claims, text) {
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

// The strings of a claim holding an array; anything else in it is ignored.
function strings(claim) {
  if (!Array.isArray(claim)) return [];
  const found = [];
  for (let i = 0; i < claim.length; i++) if (typeof claim[i] === "string") found.push(claim[i]);
  return found;
}
