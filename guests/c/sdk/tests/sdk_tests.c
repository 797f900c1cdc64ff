/* Native unit tests of the SDK's pure helpers (no wasm, no host): the base64url decoder's
 * strictness, the JSON reader, text and time. (The crypto and kv wrappers call the host; the
 * conformance suite tests them.) Run by test.sh. */
#include <stdio.h>
#include <string.h>

#include "mockforge_clock.h"
#include "mockforge_base64url.h"
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
    /* The alphabet backwards, so that no decoded byte is NUL. */
    check(decodes("_-9876543210zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKJIHGFEDCBA",
                  "\xff\xef\x7c\xef\xae\x78\xdf\x6d\x74\xcf\x2c\x70\xbe\xeb\x6c\xae\xaa\x68\x9e\x69\x64\x8e\x28\x60\x7d\xe7\x5c\x6d\xa6\x58\x5d\x65\x54\x4d\x24\x50\x3c\xe3\x4c\x2c\xa2\x48\x1c\x61\x44\x0c\x20\x40"),
          "every symbol");
    check(decodes("QUJD QUJD", NULL) && decodes("QU\x80" "D", NULL) && decodes("QUJD\xc3\x81", NULL),
          "bytes outside the alphabet");
    check(decodes("_-8", "\xff\xef"), "the url-safe symbols");
    check(decodes("QR", NULL), "stray bits in the last symbol");
    check(decodes("QUJDR", NULL), "a lone symbol in the last quad");
    check(decodes("QU=D", NULL) && decodes("Q===", NULL) && decodes("QUJD====", NULL),
          "misplaced padding");
    check(decodes("+/8=", NULL), "the standard alphabet");
    check(decodes("QUJD\n", NULL), "a newline");
}

static bool compacts(const char *json, const char *expected) {
    mf_json *value = mf_json_parse(json, strlen(json));
    if (!value)
        return expected == NULL;
    return expected && mf_str_eq(mf_json_compact(value), mf_cstr(expected));
}

static void json_reader(void) {
    check(compacts(" { \"b\" : 1 , \"a\" : [ true , null ] , \"b\" : { } } ",
                   "{\"b\":1,\"a\":[true,null],\"b\":{}}"),
          "compact: white space between tokens dropped, members kept as written");
    check(compacts("[1.50, -0, 1E+2, \"a \\\" b\\\\\" ]", "[1.50,-0,1E+2,\"a \\\" b\\\\\"]"),
          "compact: numbers and strings as written, white space inside strings kept");
    const char *text = "{\"b\": 1, \"s\": \"x\\u00e9\\ud83d\\ude00 \\/ \\b\\f\\n\\r\\t\\u0001\", \"b\": [2, {\"c\": 3}]}";
    mf_json *value = mf_json_parse(text, strlen(text));
    check(value && value->type == MF_JSON_OBJECT && value->count == 3, "an object keeps every member");
    const mf_json *b = mf_json_get(value, MF_STR("b"));
    check(b && b->type == MF_JSON_ARRAY && b->count == 2, "a repeated key: the last value is found");
    check(b && mf_str_eq(mf_json_compact(b), MF_STR("[2,{\"c\":3}]")), "a member's text");
    mf_str s;
    check(mf_json_as_str(mf_json_get(value, MF_STR("s")), &s) &&
              mf_str_eq(s, MF_STR("x\xc3\xa9\xf0\x9f\x98\x80 / \b\f\n\r\t\x01")),
          "string escapes decoded");
    double n;
    const char *numbers = "[0, -0, 1.5e-7, 4102444800, 18446744073709551616]";
    mf_json *list = mf_json_parse(numbers, strlen(numbers));
    check(list && list->count == 5 && mf_json_as_f64(list->items[1], &n) && n == 0 &&
              mf_json_as_f64(list->items[2], &n) && n == 1.5e-7 && mf_json_as_f64(list->items[3], &n) &&
              n == 4102444800.0 && mf_json_as_f64(list->items[4], &n) && n == 18446744073709551616.0,
          "numbers as doubles");
    const char *integers = "[-42, 999999999999999, -999999999999999, 1000000000000001, -12345678901234567]";
    mf_json *whole = mf_json_parse(integers, strlen(integers));
    bool exact = whole && whole->count == 5;
    const double expected[] = {-42, 999999999999999.0, -999999999999999.0, 1000000000000001.0,
                               -12345678901234567.0};
    for (size_t i = 0; exact && i < 5; i++)
        exact = mf_json_as_f64(whole->items[i], &n) && n == expected[i];
    check(exact, "integers, up to 15 digits and beyond");
    const char *long_text = "\"a run of plain text longer than a buffer's first 64 bytes, then \\u00e9: \\\" and "
                            "\xc3\xa9 as it is\"";
    mf_str long_string;
    check(mf_json_as_str(mf_json_parse(long_text, strlen(long_text)), &long_string) &&
              mf_str_eq(long_string, MF_STR("a run of plain text longer than a buffer's first 64 bytes, then "
                                            "\xc3\xa9: \" and \xc3\xa9 as it is")),
          "a long string with escapes and UTF-8 between runs");
    check(!mf_json_as_f64(mf_json_get(value, MF_STR("s")), &n) && !mf_json_get(list, MF_STR("a")),
          "type mismatches");
    mf_buf quoted = {0};
    mf_json_quote_into(&quoted, MF_STR("a\"b\\c\n\x01\xc3\xa9"));
    check(mf_str_eq(mf_buf_str(&quoted), MF_STR("\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"")), "quoting");
    const char *invalid[] = {"", "[1,]", "{\"a\":1,}", "01", "-", "1.", "1e", ".5", "1e400", "\"\\ud800\"",
                             "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\nb\"", "\"\\q\"", "\"\xff\"",
                             "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "[1] x", "'a'", "\xef\xbb\xbf{}", "nul", "{1:2}",
                             "{\"a\" 1}", "[1 2]", "\"abc", "[", "{\"a\":"};
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
    base64url_strictness();
    json_reader();
    text_and_time();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
