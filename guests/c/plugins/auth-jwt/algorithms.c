/* The JWS algorithms (RFC 7518, RFC 8037) and which keys verify them. */
#include "jwt.h"

static const mf_str names[ALGORITHM_COUNT] = {
    MF_STR("HS256"), MF_STR("HS384"), MF_STR("HS512"), MF_STR("RS256"), MF_STR("RS384"), MF_STR("RS512"),
    MF_STR("PS256"), MF_STR("PS384"), MF_STR("PS512"), MF_STR("ES256"), MF_STR("ES384"), MF_STR("EdDSA"),
};

bool algorithm_named(mf_str name, algorithm *out) {
    for (int alg = 0; alg < ALGORITHM_COUNT; alg++) {
        if (mf_str_eq(name, names[alg])) {
            *out = (algorithm)alg;
            return true;
        }
    }
    return false;
}

mf_str algorithm_name(algorithm alg) { return names[alg]; }

bool algorithm_hmac(algorithm alg, mf_hash *hash) {
    switch (alg) {
    case HS256: *hash = MF_SHA256; return true;
    case HS384: *hash = MF_SHA384; return true;
    case HS512: *hash = MF_SHA512; return true;
    default: return false;
    }
}

mf_signature_algorithm algorithm_signature(algorithm alg) {
    switch (alg) {
    case RS256: return MF_RS256;
    case RS384: return MF_RS384;
    case RS512: return MF_RS512;
    case PS256: return MF_PS256;
    case PS384: return MF_PS384;
    case PS512: return MF_PS512;
    case ES256: return MF_ES256;
    case ES384: return MF_ES384;
    default: return MF_EDDSA;
    }
}

bool algorithm_fits(algorithm alg, mf_key_type type) {
    switch (alg) {
    case RS256:
    case RS384:
    case RS512:
    case PS256:
    case PS384:
    case PS512: return type == MF_KEY_RSA;
    case ES256: return type == MF_KEY_EC_P256;
    case ES384: return type == MF_KEY_EC_P384;
    case EDDSA: return type == MF_KEY_ED25519;
    default: return false; /* an HMAC algorithm never takes a public key */
    }
}
