// `mockforge:plugin/crypto` stand-in on Node's crypto, with the host's enum names and errors.

import * as node from "node:crypto";

import { ComponentError } from "./wit-error.mjs";

/** The digest of `data`. */
export function digest(algorithm, data) {
  return new Uint8Array(node.createHash(algorithm).update(data).digest());
}

/** The HMAC of `data` under `key`. */
export function hmac(algorithm, key, data) {
  return new Uint8Array(node.createHmac(algorithm, key).update(data).digest());
}

/** Whether `tag` is the HMAC of `data` under `key`. */
export function hmacVerify(algorithm, key, data, tag) {
  const expected = hmac(algorithm, key, data);
  return expected.length === tag.length && node.timingSafeEqual(expected, tag);
}

/** Whether `a` and `b` are equal. */
export function constantTimeEqual(a, b) {
  return a.length === b.length && node.timingSafeEqual(a, b);
}

/** `len` random bytes, at most 4096. */
export function randomBytes(len) {
  if (len > 4096) throw new ComponentError({ tag: "limit", val: `${len} random bytes asked for; at most 4096 at once` });
  return new Uint8Array(node.randomBytes(len));
}

const TYPES = { rsa: "rsa", ec: undefined, ed25519: "ed25519" };

/** A public key (PEM only in this stand-in). */
export class PublicKey {
  static fromPem(pem) {
    let key;
    try {
      key = node.createPublicKey(pem);
    } catch (e) {
      throw new ComponentError({ tag: "invalid-key", val: `not a public key: ${e.message}` });
    }
    const instance = new PublicKey();
    instance.key = key;
    return instance;
  }

  static fromJwk(jwk) {
    let key;
    try {
      key = node.createPublicKey({ key: JSON.parse(jwk), format: "jwk" });
    } catch (e) {
      throw new ComponentError({ tag: "invalid-key", val: `not a JWK: ${e.message}` });
    }
    const instance = new PublicKey();
    instance.key = key;
    return instance;
  }

  keyType() {
    const type = this.key.asymmetricKeyType;
    if (type === "ec") return this.key.asymmetricKeyDetails.namedCurve === "prime256v1" ? "ec-p256" : "ec-p384";
    return TYPES[type];
  }

  verify(algorithm, message, signature) {
    const fits = { rsa: /^(rs|ps)/, "ec-p256": /^es256$/, "ec-p384": /^es384$/, ed25519: /^eddsa$/ };
    if (!fits[this.keyType()].test(algorithm)) {
      throw new ComponentError({ tag: "key-mismatch", val: `${algorithm} does not fit a ${this.keyType()} key` });
    }
    const hash = algorithm === "eddsa" ? null : `sha${algorithm.slice(2)}`;
    const options = { key: this.key };
    if (algorithm.startsWith("ps")) Object.assign(options, { padding: node.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(algorithm.slice(2)) / 8 });
    if (algorithm.startsWith("es")) options.dsaEncoding = "ieee-p1363";
    return node.verify(hash, message, options, signature);
  }
}

/** A token verifier: records its settings; `verify("good")` passes, any other token is
 * refused with the reason it names. */
export class JwtVerifier {
  static made = [];

  static create(settings) {
    if (settings.secret !== undefined && settings.secret.length === 0) {
      throw new ComponentError({ tag: "invalid-key", val: "the HMAC secret is empty" });
    }
    const verifier = new JwtVerifier();
    verifier.settings = settings;
    JwtVerifier.made.push(verifier);
    return verifier;
  }

  verify(token) {
    if (token === "good") return '{"sub":"u"}';
    // An `enum` error: both engines throw its case name as the payload.
    throw new ComponentError(token);
  }
}
