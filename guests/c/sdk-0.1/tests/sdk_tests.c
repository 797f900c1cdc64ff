/* Native unit tests of the SDK's pure helpers (no wasm, no host): known answers for the
 * crypto, the base64url decoder's strictness and the JSON reader and writer's agreement with
 * serde_json. Run by test.sh. */
#include <stdio.h>
#include <string.h>

#include "mockforge_clock.h"
#include "mockforge_crypto.h"
#include "mockforge_json.h"

static int passed, failed;

static void check(bool ok, const char *what) {
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAILED: %s\n", what);
    }
}

static mf_str hex(const uint8_t *bytes, size_t len) {
    mf_buf out = {0};
    for (size_t i = 0; i < len; i++)
        mf_buf_printf(&out, "%02x", bytes[i]);
    return mf_buf_str(&out);
}

static void sha256_known_answers(void) {
    uint8_t digest[MF_SHA256_BYTES];
    mf_sha256 ctx;
    mf_sha256_init(&ctx);
    mf_sha256_update(&ctx, "abc", 3);
    mf_sha256_final(&ctx, digest);
    check(mf_str_eq(hex(digest, sizeof digest),
                    MF_STR("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")),
          "sha256(abc)");
    /* 56 bytes: the padding needs a second block. */
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    mf_sha256_init(&ctx);
    mf_sha256_update(&ctx, two_blocks, strlen(two_blocks));
    mf_sha256_final(&ctx, digest);
    check(mf_str_eq(hex(digest, sizeof digest),
                    MF_STR("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")),
          "sha256 of two blocks");
}

static void hmac_known_answers(void) {
    /* RFC 4231 test cases 2 and 6 (a key longer than a block is hashed first). */
    uint8_t mac[MF_SHA256_BYTES], long_key[131];
    const char *data = "what do ya want for nothing?";
    mf_hmac_sha256("Jefe", 4, data, strlen(data), mac);
    check(mf_str_eq(hex(mac, sizeof mac),
                    MF_STR("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")),
          "hmac rfc 4231 case 2");
    memset(long_key, 0xaa, sizeof long_key);
    data = "Test Using Larger Than Block-Size Key - Hash Key First";
    mf_hmac_sha256(long_key, sizeof long_key, data, strlen(data), mac);
    check(mf_str_eq(hex(mac, sizeof mac),
                    MF_STR("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")),
          "hmac rfc 4231 case 6");
    check(mf_ct_equal("abc", 3, "abc", 3) && !mf_ct_equal("abc", 3, "abd", 3) &&
              !mf_ct_equal("abc", 3, "ab", 2),
          "constant-time comparison");
}

static bool decodes(const char *text, const char *expected) {
    uint8_t *out;
    size_t len;
    if (!mf_base64url_decode(mf_cstr(text), &out, &len))
        return expected == NULL;
    return expected && mf_str_eq((mf_str){(const char *)out, len}, mf_cstr(expected));
}

static void base64url_strictness(void) {
    check(decodes("", ""), "empty");
    check(decodes("QUJD", "ABC") && decodes("QUJDRA", "ABCD") && decodes("QUJDRA==", "ABCD"),
          "with and without padding");
    check(decodes("QUJDREU", "ABCDE") && decodes("QUJDREU=", "ABCDE"), "two bytes in the last quad");
    check(decodes("_-8", "\xff\xef"), "the url-safe symbols");
    check(decodes("QR", NULL), "stray bits in the last symbol");
    check(decodes("QUJDR", NULL), "a lone symbol in the last quad");
    check(decodes("QU=D", NULL) && decodes("Q===", NULL) && decodes("QUJD====", NULL),
          "misplaced padding");
    check(decodes("+/8=", NULL), "the standard alphabet");
    check(decodes("QUJD\n", NULL), "a newline");
}

static bool writes(const char *json, const char *expected) {
    mf_json *value = mf_json_parse(json, strlen(json));
    if (!value)
        return expected == NULL;
    return expected && mf_str_eq(mf_json_write(value), mf_cstr(expected));
}

static void json_agrees_with_serde_json(void) {
    check(writes(" { \"b\" : 1 , \"a\" : [ true , null ] , \"b\" : { } } ", "{\"b\":{},\"a\":[true,null]}"),
          "order kept, a repeated key keeps its place and takes the last value");
    check(writes("[0,-0,1.0,1e21,1.5e-7,0.00001,1e15,1e16,-2.5E-3,18446744073709551615,-9223372036854775808]",
                 "[0,-0.0,1.0,1e+21,1.5e-7,0.00001,1000000000000000.0,1e+16,-0.0025,18446744073709551615,"
                 "-9223372036854775808]"),
          "numbers");
    check(writes("[18446744073709551616,-9223372036854775809]", "[1.8446744073709552e+19,-9.223372036854776e+18]"),
          "integers beyond 64 bits become doubles");
    check(writes("\"\\u00e9\\ud83d\\ude00 \\/ \\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\"",
                 "\"é😀 / \\b\\f\\n\\r\\t\\u0001\\u001f\x7f\""),
          "string escapes");
    const char *invalid[] = {"", "[1,]", "{\"a\":1,}", "01", "-", "1.", "1e", ".5", "1e400", "\"\\ud800\"",
                             "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\nb\"", "\"\\q\"", "\"\xff\"",
                             "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "[1] x", "'a'", "\xef\xbb\xbf{}", "nul", "{1:2}"};
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        mf_str what = mf_format("invalid JSON %s", invalid[i]);
        check(!mf_json_parse(invalid[i], strlen(invalid[i])), what.ptr);
    }
    mf_buf deep = {0};
    for (int i = 0; i < 127; i++)
        mf_buf_push_byte(&deep, '[');
    for (int i = 0; i < 127; i++)
        mf_buf_push_byte(&deep, ']');
    check(mf_json_parse(deep.ptr, deep.len) != NULL, "127 levels of nesting");
    deep = (mf_buf){0};
    for (int i = 0; i < 128; i++)
        mf_buf_push_byte(&deep, '[');
    for (int i = 0; i < 128; i++)
        mf_buf_push_byte(&deep, ']');
    check(mf_json_parse(deep.ptr, deep.len) == NULL, "128 levels of nesting");
}

static void text_and_time(void) {
    check(mf_str_eq(mf_str_trim(mf_cstr("\xe3\x80\x80 a b\xc2\xa0\t")), MF_STR("a b")), "Unicode trim");
    check(mf_str_eq(mf_str_trim(mf_cstr(" \xc3\xa9 ")), MF_STR("\xc3\xa9")), "trim keeps other characters");
    check(mf_str_eq(mf_rfc3339(0), MF_STR("1970-01-01T00:00:00Z")), "rfc3339 epoch");
    check(mf_str_eq(mf_rfc3339(951782400), MF_STR("2000-02-29T00:00:00Z")), "rfc3339 leap day");
    check(mf_str_eq(mf_rfc3339(1709251199), MF_STR("2024-02-29T23:59:59Z")), "rfc3339 end of a day");
    check(mf_str_eq(mf_rfc3339(4102444800), MF_STR("2100-01-01T00:00:00Z")), "rfc3339 2100");
}

int main(void) {
    sha256_known_answers();
    hmac_known_answers();
    base64url_strictness();
    json_agrees_with_serde_json();
    text_and_time();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
