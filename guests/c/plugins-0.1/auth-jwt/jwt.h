/* What the auth-jwt plugin's files share. */
#ifndef AUTH_JWT_H
#define AUTH_JWT_H

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

/* The plugin's configuration, read from the manifest's `[config]` table. */
typedef struct settings {
    /* The HMAC-SHA256 key. */
    mf_str secret;
    /* The required `iss` claim, when configured. */
    bool has_issuer;
    mf_str issuer;
    /* The value the `aud` claim must be or contain, when configured. */
    bool has_audience;
    mf_str audience;
    /* Seconds of clock skew tolerated on `exp` and `nbf`. */
    uint64_t leeway;
} settings;

mf_error *settings_load(settings *out);

/* Check that `token` is a compact JWS signed with HS256 under the secret and set `*claims`;
 * the payload is parsed only after the signature checks out. */
rejection token_verify(mf_str token, const settings *settings, const mf_json **claims);

/* Check the registered claims against the clock (`now`, seconds since the Unix epoch) and the
 * configured issuer and audience. */
rejection claims_check(const mf_json *claims, const settings *settings, double now);

/* The identity a verified token describes; every claim is also passed on as JSON text. */
rejection claims_identity(const mf_json *claims, mf_identity **identity);

#endif
