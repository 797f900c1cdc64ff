/* The configuration: read and checked at the first call, then kept for the instance's life, so
 * that a warm instance neither re-reads its config nor re-parses its keys. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwt.h"

/* A JWKS file larger than this is refused (real ones are a few KiB). */
#define JWKS_FILE_LIMIT (1024 * 1024)

static settings *kept;

static mf_error *read_file(mf_str path, mf_str *text) {
    FILE *file = fopen(path.ptr, "rb");
    if (!file)
        return mf_error_new(MF_INVALID_CONFIG, "config key `jwks-file` = \"%.*s\": %s", MF_FMT(path), strerror(errno));
    char *bytes = mf_alloc(JWKS_FILE_LIMIT + 1);
    size_t len = fread(bytes, 1, JWKS_FILE_LIMIT + 1, file);
    bool failed = ferror(file);
    fclose(file);
    if (failed)
        return mf_error_new(MF_INVALID_CONFIG, "config key `jwks-file` = \"%.*s\": cannot be read", MF_FMT(path));
    if (len > JWKS_FILE_LIMIT)
        return mf_error_new(MF_INVALID_CONFIG, "config key `jwks-file` = \"%.*s\": larger than %d bytes",
                            MF_FMT(path), JWKS_FILE_LIMIT);
    *text = (mf_str){bytes, len};
    return NULL;
}

static mf_error *read_keys(settings *out) {
    mf_str text;
    if (mf_config_get(MF_STR("public-key"), &text)) {
        verification_key key = {0};
        mf_crypto_error *failure = mf_public_key_from_pem(text, &key.key);
        if (failure)
            return mf_error_new(MF_INVALID_CONFIG, "config key `public-key`: %.*s", MF_FMT(failure->message));
        out->keys = mf_alloc(sizeof *out->keys);
        out->keys[out->key_count++] = key;
    }
    mf_error *error = NULL;
    if (mf_config_get(MF_STR("jwks"), &text))
        error = keys_from_jwks(MF_STR("jwks"), text, &out->keys, &out->key_count);
    mf_str path;
    if (!error && mf_config_get(MF_STR("jwks-file"), &path) && !(error = read_file(path, &text)))
        error = keys_from_jwks(MF_STR("jwks-file"), text, &out->keys, &out->key_count);
    return error;
}

/* `algorithms` as a comma-separated list of JWS names; by default HS256 with a secret and
 * every algorithm a configured key verifies. */
static mf_error *read_algorithms(settings *out) {
    mf_str list;
    if (!mf_config_get(MF_STR("algorithms"), &list)) {
        out->accepted[HS256] = out->has_secret;
        for (int alg = 0; alg < ALGORITHM_COUNT; alg++)
            for (size_t i = 0; i < out->key_count; i++)
                out->accepted[alg] |= algorithm_fits((algorithm)alg, mf_public_key_type(out->keys[i].key));
        return NULL;
    }
    size_t start = 0, named = 0;
    for (size_t i = 0; i <= list.len; i++) {
        if (i < list.len && list.ptr[i] != ',')
            continue;
        mf_str name = mf_str_trim((mf_str){list.ptr + start, i - start});
        start = i + 1;
        if (name.len == 0)
            continue;
        algorithm alg;
        if (!algorithm_named(name, &alg))
            return mf_error_new(MF_INVALID_CONFIG, "config key `algorithms`: unknown algorithm `%.*s`", MF_FMT(name));
        /* An algorithm no configured key could ever verify is a mistake in the configuration. */
        mf_hash hash;
        bool usable = algorithm_hmac(alg, &hash) && out->has_secret;
        for (size_t k = 0; k < out->key_count && !usable; k++)
            usable = algorithm_fits(alg, mf_public_key_type(out->keys[k].key));
        if (!usable)
            return mf_error_new(MF_INVALID_CONFIG, "config key `algorithms`: `%.*s` needs %s", MF_FMT(name),
                                algorithm_hmac(alg, &hash) ? "`secret`" : "a configured public key of its type");
        out->accepted[alg] = true;
        named++;
    }
    if (named == 0)
        return mf_error_new(MF_INVALID_CONFIG, "config key `algorithms` names no algorithm");
    return NULL;
}

static mf_error *load(settings *out) {
    *out = (settings){0};
    out->has_secret = mf_config_get(MF_STR("secret"), &out->secret);
    /* An empty key makes every HMAC signature forgeable. */
    if (out->has_secret && out->secret.len == 0)
        return mf_error_new(MF_INVALID_CONFIG, "config key `secret` is empty");
    mf_error *error = read_keys(out);
    if (!error && !out->has_secret && out->key_count == 0)
        error = mf_error_new(MF_INVALID_CONFIG, "missing config key `secret` (or `public-key`, `jwks`, `jwks-file`)");
    if (!error)
        error = read_algorithms(out);
    if (error)
        return error;
    out->has_issuer = mf_config_get(MF_STR("issuer"), &out->issuer);
    out->has_audience = mf_config_get(MF_STR("audience"), &out->audience);
    return mf_config_uint(MF_STR("leeway-seconds"), UINT64_MAX, &out->leeway);
}

/* `read` (in the arena) copied out of it. */
static settings *keep(const settings *read) {
    settings *out = malloc(sizeof *out);
    verification_key *keys = malloc((read->key_count ? read->key_count : 1) * sizeof *keys);
    if (!out || !keys)
        abort();
    *out = *read;
    out->secret = mf_str_keep(read->secret);
    out->issuer = mf_str_keep(read->issuer);
    out->audience = mf_str_keep(read->audience);
    for (size_t i = 0; i < read->key_count; i++) {
        keys[i] = read->keys[i];
        keys[i].kid = mf_str_keep(read->keys[i].kid);
        keys[i].alg = mf_str_keep(read->keys[i].alg);
    }
    out->keys = keys;
    return out;
}

mf_error *settings_get(const settings **out) {
    if (!kept) {
        settings read;
        mf_error *error = load(&read);
        if (error) {
            /* Read again at the next call: release the keys the host holds meanwhile. */
            for (size_t i = 0; i < read.key_count; i++)
                mf_public_key_free(read.keys[i].key);
            return error;
        }
        kept = keep(&read);
    }
    *out = kept;
    return NULL;
}
