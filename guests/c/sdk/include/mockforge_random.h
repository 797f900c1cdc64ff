/* Random identifiers, from the host's secure random source (mf_random_bytes of
 * mockforge_crypto.h gives raw bytes). */
#ifndef MOCKFORGE_RANDOM_H
#define MOCKFORGE_RANDOM_H

#include "mockforge_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A random (version 4) UUID, hyphenated lower case (RFC 9562 section 5.4); an internal error
 * if the host gives no random bytes. */
mf_error *mf_uuid_v4(mf_str *uuid);

#ifdef __cplusplus
}
#endif

#endif
