/* Random bytes and v4 UUIDs. */
#define _DEFAULT_SOURCE /* getentropy */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "mockforge_random.h"

mf_error *mf_random_bytes(void *bytes, size_t len) {
    if (getentropy(bytes, len) != 0)
        return mf_error_new(MF_INTERNAL, "no random bytes: %s", strerror(errno));
    return NULL;
}

mf_error *mf_uuid_v4(mf_str *uuid) {
    uint8_t bytes[16];
    mf_error *error = mf_random_bytes(bytes, sizeof bytes);
    if (error)
        return error;
    bytes[6] = (bytes[6] & 0x0F) | 0x40;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    mf_buf out = {0};
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            mf_buf_push_byte(&out, '-');
        mf_buf_printf(&out, "%02x", bytes[i]);
    }
    *uuid = mf_buf_str(&out);
    return NULL;
}
