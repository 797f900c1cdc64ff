import { decodeUrl, decodeUtf8, encodeUtf8, HmacSha256, JsonObject, JsonParser } from "../../sdk";
import { Rejection } from "./rejection";

/** A token checked by `verify`: its claims, or (when `claims` is null) why it was refused. */
export class Verified {
  private constructor(public claims: JsonObject | null, public rejection: Rejection) {}

  static valid(claims: JsonObject): Verified {
    // The rejection of a valid token is never read.
    return new Verified(claims, Rejection.Malformed);
  }

  static refused(rejection: Rejection): Verified {
    return new Verified(null, rejection);
  }
}

/** Check that `token` is a compact JWS signed with HS256 under `mac`'s key and return its
 * claims (a repeated claim keeps its first place and last value, as in serde_json).
 *
 * The payload is parsed only after the signature checks out, so nothing an attacker wrote is
 * looked at before it is known to come from the key holder. */
export function verify(token: string, mac: HmacSha256): Verified {
  const lastDot = token.lastIndexOf(".");
  if (lastDot < 0) return Verified.refused(Rejection.Malformed);
  const signingInput = token.substring(0, lastDot);
  const firstDot = signingInput.indexOf(".");
  if (firstDot < 0) return Verified.refused(Rejection.Malformed);
  const payload = signingInput.substring(firstDot + 1);
  if (payload.includes(".")) return Verified.refused(Rejection.Malformed);

  const header = decodeObject(signingInput.substring(0, firstDot));
  if (header === null) return Verified.refused(Rejection.Malformed);
  // Only HS256 is accepted: in particular `none` and the RS/ES family, whose "public key" an
  // attacker could pass off as the HMAC secret.
  const algorithm = header.getString("alg");
  if (algorithm === null || algorithm != "HS256") return Verified.refused(Rejection.UnsupportedAlgorithm);

  const signature = decodeUrl(token.substring(lastDot + 1));
  if (signature === null) return Verified.refused(Rejection.Malformed);
  if (!mac.verify(encodeUtf8(signingInput), signature)) return Verified.refused(Rejection.InvalidSignature);

  const claims = decodeObject(payload);
  if (claims === null) return Verified.refused(Rejection.Malformed);
  return Verified.valid(claims);
}

/** One base64url segment holding a JSON object, or null. */
function decodeObject(segment: string): JsonObject | null {
  const bytes = decodeUrl(segment);
  if (bytes === null) return null;
  const text = decodeUtf8(bytes);
  if (text === null) return null;
  const value = new JsonParser(text).parse();
  return value !== null ? value.asObject() : null;
}
