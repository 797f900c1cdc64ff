// Cryptography done natively by the host (the WIT `crypto` import): digests, HMACs, a
// constant-time comparison, secure random bytes, and public keys that verify JWS signatures.
// A plugin never carries its own implementation of a primitive.
//
//     if (!crypto.hmacVerify("sha256", secret, signingInput, signature)) return deny();
//
//     const key = crypto.PublicKey.fromPem(config.require("public-key"));   // once; keep it
//     key.verify("RS256", signingInput, signature);                         // true or false
//
// Bytes are `Uint8Array`s; where a function takes bytes, a string is taken as its UTF-8 bytes.
// Hash algorithms are "sha256", "sha384" and "sha512"; signature algorithms are named as JSON
// Web Algorithms name them ("RS256", "PS256", "ES256", "EdDSA", ...: SIGNATURE_ALGORITHMS).
// Another name is a `TypeError`. A key the host refuses, an algorithm that does not fit a key,
// or a limit reached throw a `CryptoError`.

import { crypto as wit, errorPayload } from "./bindings.js";
import { encode } from "./utf8.js";

/** The hash algorithms of `digest`, `hmac` and `hmacVerify`. */
export const HASH_ALGORITHMS = Object.freeze(["sha256", "sha384", "sha512"]);

/** The JWS algorithms each key type (`PublicKey.keyType`) verifies. */
export const ALGORITHMS_BY_KEY_TYPE = Object.freeze({
  rsa: Object.freeze(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]),
  "ec-p256": Object.freeze(["ES256"]),
  "ec-p384": Object.freeze(["ES384"]),
  ed25519: Object.freeze(["EdDSA"]),
});

/** Every signature algorithm `PublicKey.verify` knows, by its JWS name. */
export const SIGNATURE_ALGORITHMS = Object.freeze(Object.values(ALGORITHMS_BY_KEY_TYPE).flat());

/** Where a `PublicKey` keeps the host's resource (for the SDK's `jwt.Verifier`; not for
 * plugins). */
export const HOST_KEY = Symbol("the host's public-key resource");

/** The most random bytes one `randomBytes` call returns. */
export const MAX_RANDOM_BYTES = 4096;

/** Why the host could not read or use a key; `message` is the host's text. */
export class CryptoError extends Error {}

/** The key text is not a public key the host reads (bad PEM or JWK, a private key, an RSA key
 * under 2048 bits, an unsupported curve). */
export class InvalidKey extends CryptoError {}

/** The algorithm does not fit the key's type (ES256 with an RSA key): refused, never tried. */
export class KeyMismatch extends CryptoError {}

/** A limit was reached: a key text over 16 KiB, too many keys held, too many random bytes
 * asked for at once. */
export class Limit extends CryptoError {}

/** The digest of `data` under `algorithm` ("sha256", "sha384", "sha512"). */
export function digest(algorithm, data) {
  return wit.digest(HASHES[algorithm] ?? badHash(algorithm), bytes(data));
}

/** The HMAC of `data` under `key` with `algorithm` (the HS256/384/512 of a JWS). */
export function hmac(algorithm, key, data) {
  return wit.hmac(HASHES[algorithm] ?? badHash(algorithm), bytes(key), bytes(data));
}

/** Whether `tag` is the HMAC of `data` under `key` with `algorithm`, compared in constant
 * time. */
export function hmacVerify(algorithm, key, data, tag) {
  // Called on every request of an HMAC-signed token: the arguments are converted inline.
  return wit.hmacVerify(
    HASHES[algorithm] ?? badHash(algorithm),
    typeof key === "string" ? encode(key) : key,
    typeof data === "string" ? encode(data) : data,
    typeof tag === "string" ? encode(tag) : tag,
  );
}

/** Whether `a` and `b` are equal, in time that depends only on their lengths. */
export function constantTimeEqual(a, b) {
  return wit.constantTimeEqual(bytes(a), bytes(b));
}

/** `n` bytes from the operating system's secure random source; at most MAX_RANDOM_BYTES at
 * once (`Limit` beyond). */
export function randomBytes(n) {
  return hostCall(() => wit.randomBytes(n));
}

/**
 * A public key held by the host, for signature verification. Read it once (from the
 * configuration, at the first call) and keep it: a warm instance keeps its keys between calls.
 *
 *     const key = PublicKey.fromJwk({ kty: "OKP", crv: "Ed25519", x: "..." });
 *     key.keyType;                                  // "ed25519"
 *     key.verify("EdDSA", signingInput, signature); // true or false
 */
export class PublicKey {
  /** Use `PublicKey.fromPem` or `PublicKey.fromJwk`. */
  constructor(key) {
    this[HOST_KEY] = key;
    /** The key's type: "rsa", "ec-p256", "ec-p384" or "ed25519". */
    this.keyType = key.keyType();
  }

  /** Read a PEM public key: `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS#1).
   * `InvalidKey` when the host does not read it. */
  static fromPem(pem) {
    return new PublicKey(hostCall(() => wit.PublicKey.fromPem(pem)));
  }

  /** Read one JSON Web Key (RFC 7517), given as JSON text or as an object: `kty` "RSA", "EC"
   * (P-256, P-384) or "OKP" (Ed25519). `InvalidKey` when the host does not read it. */
  static fromJwk(jwk) {
    const text = typeof jwk === "string" ? jwk : JSON.stringify(jwk);
    return new PublicKey(hostCall(() => wit.PublicKey.fromJwk(text)));
  }

  /** Whether `algorithm` (a JWS name) is one this key's type verifies. */
  fits(algorithm) {
    return ALGORITHMS_BY_KEY_TYPE[this.keyType].includes(algorithm);
  }

  /** Whether `signature` is a valid signature of `message` under this key with `algorithm`
   * (a JWS name such as "RS256"). `KeyMismatch` when the algorithm does not fit the key's
   * type. */
  verify(algorithm, message, signature) {
    const lowered = signatureAlgorithm(algorithm);
    return hostCall(() => this[HOST_KEY].verify(lowered, bytes(message), bytes(signature)));
  }
}

// The WIT enum's case names are the hash names.
const HASHES = Object.freeze({ __proto__: null, sha256: "sha256", sha384: "sha384", sha512: "sha512" });

function badHash(algorithm) {
  throw new TypeError(`unknown hash algorithm ${JSON.stringify(algorithm)}: one of ${HASH_ALGORITHMS.join(", ")}`);
}

// The WIT enum's case names are the JWS names in lower case.
function signatureAlgorithm(algorithm) {
  if (!SIGNATURE_ALGORITHMS.includes(algorithm)) {
    throw new TypeError(
      `unknown signature algorithm ${JSON.stringify(algorithm)}: one of ${SIGNATURE_ALGORITHMS.join(", ")}`,
    );
  }
  return algorithm.toLowerCase();
}

function bytes(data) {
  return typeof data === "string" ? encode(data) : data;
}

const ERRORS = { "invalid-key": InvalidKey, "key-mismatch": KeyMismatch, limit: Limit };

// Call the host, turning a `crypto-error` into this module's exception.
export function hostCall(f) {
  try {
    return f();
  } catch (e) {
    const payload = errorPayload(e);
    if (payload === undefined) throw e;
    throw new (ERRORS[payload.tag] ?? CryptoError)(payload.val);
  }
}
