// HS256 bearer JWT authentication: see README.md beside this file for the configuration.

import { equalsIgnoreAsciiCase, handleAuthenticate, Outcome, Request, trim } from "../../sdk";
import { check, identify } from "./claims";
import { refuse, Rejection } from "./rejection";
import { Settings } from "./settings";
import { verify } from "./token";

export function authenticate(input: string): string {
  return handleAuthenticate(input, decide);
}

function decide(request: Request): Outcome {
  const settings = Settings.load(request.config);
  const invalid = settings.error;
  if (invalid !== null) return Outcome.fail(invalid);
  const token = bearerToken(request);
  if (token === null) return refuse(Rejection.MissingToken);
  const verified = verify(token, settings.mac!);
  const claims = verified.claims;
  if (claims === null) return refuse(verified.rejection);
  const refusal = check(claims, settings, request.nowUnixMs / 1000);
  if (refusal !== null) return refusal;
  return identify(claims);
}

/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive
 * (RFC 7235). */
function bearerToken(request: Request): string | null {
  const value = request.header("authorization");
  if (value === null) return null;
  const credentials = trim(value);
  const space = credentials.indexOf(" ");
  if (space < 0) return null;
  const token = trim(credentials.substring(space + 1));
  if (!equalsIgnoreAsciiCase(credentials.substring(0, space), "bearer") || token.length == 0) return null;
  return token;
}
