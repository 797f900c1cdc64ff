// Bearer JWT authentication (HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384, EdDSA):
// see README.md for the configuration. The token is checked by the host's verifier (the SDK's
// `jwt.Verifier`, built once from the configuration); the plugin maps its verdict to a denial
// and the payload to an identity.

import { Abstain, defineAuthPlugin, jwt, log } from "../../sdk/index.js";
import { trim } from "../../sdk/text.js";

import * as claims from "./claims.js";
import { MISSING_TOKEN, REASONS, Rejection } from "./rejection.js";
import { currentSettings } from "./settings.js";

const ABSTAIN = new Abstain();
const BEARER = /^bearer$/i;

export const auth = defineAuthPlugin({
  authenticate(req) {
    // A configuration error comes before the request is looked at.
    const settings = currentSettings();
    try {
      return authenticate(req, settings);
    } catch (e) {
      if (!(e instanceof Rejection)) throw e;
      log.debug("jwt rejected", { reason: e.reason });
      return e.denial();
    }
  },
});

// The identity of the request's bearer token; an abstention when it has no `Authorization:
// Bearer` credential (another scheme is another plugin's business).
function authenticate(req, settings) {
  const value = req.header("authorization");
  if (value === undefined) return ABSTAIN;
  const trimmed = trim(value);
  const space = trimmed.indexOf(" ");
  // The scheme is case-insensitive (RFC 7235); without a space the whole value is the scheme.
  const scheme = space < 0 ? trimmed : trimmed.slice(0, space);
  if (!BEARER.test(scheme)) return ABSTAIN;
  const token = space < 0 ? "" : trim(trimmed.slice(space + 1));
  if (token === "") throw new Rejection(MISSING_TOKEN);
  let payload;
  try {
    payload = settings.verifier.verify(token);
  } catch (e) {
    if (!(e instanceof jwt.Rejected)) throw e;
    throw new Rejection(REASONS[e.reason]);
  }
  return claims.identity(payload);
}
