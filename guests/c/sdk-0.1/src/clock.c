/* The wall clock and RFC 3339 formatting. */
#define _DEFAULT_SOURCE /* clock_gettime */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "mockforge_clock.h"

mf_error *mf_unix_time(double *seconds) {
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0)
        return mf_error_new(MF_INTERNAL, "no wall clock: %s", strerror(errno));
    if (now.tv_sec < 0)
        return mf_error_new(MF_INTERNAL, "the clock is before 1970");
    *seconds = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
    return NULL;
}

mf_str mf_rfc3339(uint64_t seconds) {
    /* Howard Hinnant's civil_from_days: 400-year eras starting on March 1st, so that the leap
     * day falls at the end of a year. */
    uint64_t days = seconds / 86400, secs_of_day = seconds % 86400;
    uint64_t z = days + 719468;
    uint64_t era = z / 146097, day_of_era = z % 146097;
    uint64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    uint64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    uint64_t shifted_month = (5 * day_of_year + 2) / 153;
    uint64_t day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    uint64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
    uint64_t year = year_of_era + era * 400 + (month <= 2);
    return mf_format("%04llu-%02llu-%02lluT%02llu:%02llu:%02lluZ", (unsigned long long)year,
                     (unsigned long long)month, (unsigned long long)day,
                     (unsigned long long)(secs_of_day / 3600), (unsigned long long)(secs_of_day / 60 % 60),
                     (unsigned long long)(secs_of_day % 60));
}
