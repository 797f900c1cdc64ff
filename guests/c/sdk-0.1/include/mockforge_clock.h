/* The wall clock (WASI's, through the host) and RFC 3339 timestamps. */
#ifndef MOCKFORGE_CLOCK_H
#define MOCKFORGE_CLOCK_H

#include "mockforge_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Seconds since the Unix epoch, with the fraction; an internal error if the clock fails. */
mf_error *mf_unix_time(double *seconds);
/* `seconds` since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC). */
mf_str mf_rfc3339(uint64_t seconds);

#ifdef __cplusplus
}
#endif

#endif
