/* What the auth-jwt plugin's files share. */
#ifndef AUTH_JWT_H
#define AUTH_JWT_H

#include "mockforge_crypto.h"
#include "mockforge_json.h"
#include "mockforge_plugin.h"

/* Why a request's bearer token was refused. */
typedef enum rejection {
    ACCEPTED,
    MISSING_TOKEN,
    MALFORMED,
    UNSUPPORTED_ALGORITHM,
    INVALID_SIGNATURE,
    EXPIRED,
    NOT_YET_VALID,
    INVALID_ISSUER,
    INVALID_AUDIENCE,
    MISSING_SUBJECT,
} rejection;

/* A JWS algorithm (`alg`) this plugin knows. */
typedef enum algorithm {
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    EDDSA,
    ALGORITHM_COUNT,
} algorithm;

/* The algorithm named `name` (`HS256`, `EdDSA`, ...); false for any other name, `none`
 * included. */
bool algorithm_named(mf_str name, algorithm *out);
/* The algorithm's JWS name. */
mf_str algorithm_name(algorithm alg);
/* Whether `alg` is an HMAC algorithm, and its hash. */
bool algorithm_hmac(algorithm alg, mf_hash *hash);
/* The host's signature algorithm for a public-key `alg` (not an HMAC one). */
mf_signature_algorithm algorithm_signature(algorithm alg);
/* Whether a key of `type` verifies `alg` (never an HMAC algorithm). */
bool algorithm_fits(algorithm alg, mf_key_type type);

/* A public key from the configuration, with the `kid` and `alg` its JWK gave, if any. */
typedef struct verification_key {
    mf_public_key *key;
    bool has_kid;
    mf_str kid;
    /* The only algorithm the key may verify, when its JWK names one. */
    bool has_alg;
    mf_str alg;
} verification_key;

/* The plugin's configuration, read and checked at the first call and kept for the instance's
 * life (outside the per-call arena). */
typedef struct settings {
    /* The HMAC key of HS256/384/512, when configured. */
    bool has_secret;
    mf_str secret;
    /* The public keys of `public-key`, `jwks` and `jwks-file`, in that order. */
    verification_key *keys;
    size_t key_count;
    /* The algorithms a token may use. */
    bool accepted[ALGORITHM_COUNT];
    /* The required `iss` claim, when configured. */
    bool has_issuer;
    mf_str issuer;
    /* The value the `aud` claim must be or contain, when configured. */
    bool has_audience;
    mf_str audience;
    /* Seconds of clock skew tolerated on `exp` and `nbf`. */
    uint64_t leeway;
} settings;

/* The configuration, read at the first successful call and kept. */
mf_error *settings_get(const settings **out);

/* Adds the keys of a JWKS document (`{"keys": [...]}`) to `*keys`; `source` names the config key
 * for errors. */
mf_error *keys_from_jwks(mf_str source, mf_str jwks, verification_key **keys, size_t *count);

/* Check that `token` is a compact JWS signed with an accepted algorithm under a configured key
 * and set `*claims` (and `*payload`, its JSON text); the payload is parsed only after the
 * signature checks out. An error only when the host fails in a way no token explains. */
mf_error *token_verify(mf_str token, const settings *settings, rejection *why, const mf_json **claims,
                       mf_str *payload);

/* Check the registered claims against the clock (`now`, seconds since the Unix epoch) and the
 * configured issuer and audience. */
rejection claims_check(const mf_json *claims, const settings *settings, double now);

/* The identity a verified token describes; `payload` (the claims' JSON text) is passed on as
 * the identity's claims. */
rejection claims_identity(const mf_json *claims, mf_str payload, mf_identity **identity);

#endif
