// HS256 bearer JWT authentication: see README.md for the configuration.

import { defineAuthPlugin, log } from "../../sdk-0.1/index.js";
import { trim } from "../../sdk-0.1/text.js";

import * as claims from "./claims.js";
import { verify } from "./jws.js";
import { MISSING_TOKEN, Rejection } from "./rejection.js";
import { currentSettings } from "./settings.js";

export const auth = defineAuthPlugin({
  async authenticate(req) {
    const settings = await currentSettings();
    try {
      return await authenticate(req, settings, Date.now() / 1000);
    } catch (e) {
      if (!(e instanceof Rejection)) throw e;
      log.debug("jwt rejected", { reason: e.reason });
      return e.denial();
    }
  },
});

async function authenticate(req, settings, now) {
  const token = bearerToken(req);
  if (token === undefined) throw new Rejection(MISSING_TOKEN);
  const verified = await verify(token, settings.key);
  claims.check(verified, settings, now);
  return claims.identity(verified);
}

// The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive
// (RFC 7235).
function bearerToken(req) {
  const value = req.header("authorization");
  if (value == null) return undefined;
  const trimmed = trim(value);
  const space = trimmed.indexOf(" ");
  if (space < 0) return undefined;
  const scheme = trimmed.slice(0, space);
  const token = trim(trimmed.slice(space + 1));
  return /^bearer$/i.test(scheme) && token !== "" ? token : undefined;
}
