/* base64url (RFC 4648 section 5), the encoding of a JWS's segments and a JWK's numbers. */
#ifndef MOCKFORGE_BASE64URL_H
#define MOCKFORGE_BASE64URL_H

#include "mockforge_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decode base64url into the call's arena, strictly: padding optional but only at the end, no
 * stray bits in the last symbol, no other characters (no white space, no `+` or `/`). Returns
 * false when `text` is not such base64url. */
bool mf_base64url_decode(mf_str text, uint8_t **out, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif
