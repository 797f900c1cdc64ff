#include "template.h"

static mf_error *invalid(mf_str pattern, const char *why) {
    return mf_error_new(MF_INVALID_CONFIG, "config key `route` = \"%.*s\": %s", MF_FMT(pattern), why);
}

mf_error *route_parse(mf_str pattern, route *out) {
    if (pattern.len == 0 || pattern.ptr[0] != '/')
        return invalid(pattern, "must start with `/`");
    size_t count = 1;
    for (size_t i = 1; i < pattern.len; i++)
        count += pattern.ptr[i] == '/';
    out->segments = mf_alloc(count * sizeof *out->segments);
    out->count = 0;
    size_t start = 1;
    for (size_t i = 1; i <= pattern.len; i++) {
        if (i < pattern.len && pattern.ptr[i] != '/')
            continue;
        mf_str text = {pattern.ptr + start, i - start};
        route_segment segment = {false, text};
        if (text.len >= 2 && text.ptr[0] == '{' && text.ptr[text.len - 1] == '}') {
            segment = (route_segment){true, {text.ptr + 1, text.len - 2}};
            if (segment.text.len == 0)
                return invalid(pattern, "a parameter has no name");
            for (size_t j = 0; j < out->count; j++)
                if (out->segments[j].param && mf_str_eq(out->segments[j].text, segment.text))
                    return invalid(pattern, "a parameter name is used twice");
        }
        out->segments[out->count++] = segment;
        start = i + 1;
    }
    return NULL;
}

bool route_matches(const route *route, mf_str path, mf_str *values) {
    if (path.len == 0 || path.ptr[0] != '/')
        return false;
    size_t start = 1;
    for (size_t n = 0; n < route->count; n++) {
        if (start > path.len)
            return false; /* fewer segments than the pattern */
        size_t end = start;
        while (end < path.len && path.ptr[end] != '/')
            end++;
        mf_str part = {path.ptr + start, end - start};
        if (route->segments[n].param)
            values[n] = part;
        else if (!mf_str_eq(part, route->segments[n].text))
            return false;
        start = end + 1;
    }
    return start > path.len; /* no segments left over */
}
