// Bearer JWT authentication (HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384, EdDSA),
// the signatures verified by the host: see README.md for the configuration.

import { Abstain, defineAuthPlugin, log } from "../../sdk/index.js";
import { trim } from "../../sdk/text.js";

import * as claims from "./claims.js";
import { verify } from "./jws.js";
import { MISSING_TOKEN, Rejection } from "./rejection.js";
import { currentSettings } from "./settings.js";

const ABSTAIN = new Abstain();
const BEARER = /^bearer$/i;

export const auth = defineAuthPlugin({
  authenticate(req) {
    // A configuration error comes before the request is looked at.
    const settings = currentSettings();
    try {
      return authenticate(req, settings, Date.now() / 1000);
    } catch (e) {
      if (!(e instanceof Rejection)) throw e;
      log.debug("jwt rejected", { reason: e.reason });
      return e.denial();
    }
  },
});

// The identity of the request's bearer token; an abstention when it has no `Authorization:
// Bearer` credential (another scheme is another plugin's business).
function authenticate(req, settings, now) {
  const value = req.header("authorization");
  if (value === undefined) return ABSTAIN;
  const trimmed = trim(value);
  const space = trimmed.indexOf(" ");
  // The scheme is case-insensitive (RFC 7235); without a space the whole value is the scheme.
  const scheme = space < 0 ? trimmed : trimmed.slice(0, space);
  if (!BEARER.test(scheme)) return ABSTAIN;
  const token = space < 0 ? "" : trim(trimmed.slice(space + 1));
  if (token === "") throw new Rejection(MISSING_TOKEN);
  const payload = verify(token, settings);
  claims.check(payload.claims, settings, now);
  return claims.identity(payload);
}
