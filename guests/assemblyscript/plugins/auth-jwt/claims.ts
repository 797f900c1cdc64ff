import { Identity, JsonKind, JsonObject, JsonValue, Outcome, PluginError } from "../../sdk";
import { refuse, Rejection } from "./rejection";
import { Settings } from "./settings";

/** Check the registered claims of a verified token against the clock (`now`, seconds since
 * the Unix epoch, NaN when the host sent none) and the configured issuer and audience.
 * Returns the outcome that ends the request, or null when the claims pass. */
export function check(claims: JsonObject, settings: Settings, now: f64): Outcome | null {
  const leeway = <f64>settings.leeway;
  const exp = claims.get("exp");
  if (exp !== null) {
    if (exp.kind != JsonKind.Number) return refuse(Rejection.Malformed);
    if (isNaN(now)) return noClock();
    // RFC 7519 4.1.4: the token must not be accepted on or after `exp`.
    if (now >= exp.asNumber() + leeway) return refuse(Rejection.Expired);
  }
  const nbf = claims.get("nbf");
  if (nbf !== null) {
    if (nbf.kind != JsonKind.Number) return refuse(Rejection.Malformed);
    if (isNaN(now)) return noClock();
    if (now + leeway < nbf.asNumber()) return refuse(Rejection.NotYetValid);
  }
  const issuer = settings.issuer;
  if (issuer !== null) {
    const iss = stringClaim(claims, "iss");
    if (iss === null || iss != issuer) return refuse(Rejection.InvalidIssuer);
  }
  const audience = settings.audience;
  if (audience !== null && !hasAudience(claims.get("aud"), audience)) {
    return refuse(Rejection.InvalidAudience);
  }
  return null;
}

/** The identity a verified token describes (every claim is passed on as its own JSON text),
 * or the refusal of a token without a subject. */
export function identify(claims: JsonObject): Outcome {
  const subject = stringClaim(claims, "sub");
  if (subject === null || subject.length == 0) return refuse(Rejection.MissingSubject);
  const identity = new Identity(subject);
  identity.roles = strings(claims.get("roles"));
  identity.groups = strings(claims.get("groups"));
  const preferred = stringClaim(claims, "preferred_username");
  identity.username = preferred !== null ? preferred : stringClaim(claims, "username");
  identity.email = stringClaim(claims, "email");
  identity.displayName = stringClaim(claims, "name");
  const members = claims.members();
  for (let i = 0; i < members.length; i++) {
    const member = unchecked(members[i]);
    identity.withClaim(member.name, member.value.text());
  }
  return Outcome.allow(identity);
}

/** RFC 7519 4.1.3: `aud` is one string or an array of them. */
function hasAudience(aud: JsonValue | null, audience: string): bool {
  if (aud === null) return false;
  const one = aud.asString();
  if (one !== null) return one == audience;
  const many = aud.asArray();
  if (many === null) return false;
  const items = many.items();
  for (let i = 0; i < items.length; i++) {
    const item = unchecked(items[i]).asString();
    if (item !== null && item == audience) return true;
  }
  return false;
}

function stringClaim(claims: JsonObject, name: string): string | null {
  return claims.getString(name);
}

/** The strings of a claim holding an array; anything else in it is ignored. */
function strings(claim: JsonValue | null): Array<string> {
  const out = new Array<string>();
  if (claim === null) return out;
  const array = claim.asArray();
  if (array === null) return out;
  const items = array.items();
  for (let i = 0; i < items.length; i++) {
    const item = unchecked(items[i]).asString();
    if (item !== null) out.push(item);
  }
  return out;
}

/** A family-A module has no clock: the host must send `now_unix_ms` for `exp` and `nbf`. */
function noClock(): Outcome {
  return Outcome.fail(PluginError.internal("the host sent no clock (`now_unix_ms`), needed to check `exp` and `nbf`"));
}
