/* Random values from the host's random source (WASI `random`). */
#ifndef MOCKFORGE_RANDOM_H
#define MOCKFORGE_RANDOM_H

#include "mockforge_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fill `len` bytes (at most 256) with random bytes; an internal error if there are none. */
mf_error *mf_random_bytes(void *bytes, size_t len);
/* A random (version 4) UUID, hyphenated lower case (RFC 9562 section 5.4). */
mf_error *mf_uuid_v4(mf_str *uuid);

#ifdef __cplusplus
}
#endif

#endif
