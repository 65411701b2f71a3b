/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every Homa tool needs besides the API helpers of homa_lib.h:
 * error exits and warnings under the program's name, command-line
 * numbers, and a clock.
 */
#ifndef _HOMA_UTIL_H
#define _HOMA_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* The program's name, put before every message (each main() sets it). */
extern const char *homa_prog;

void homa_die(int status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
void homa_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void homa_usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
long homa_parse_num(const char *text, long min, long max, const char *what);
size_t homa_parse_bytes(const char *text);
uint64_t homa_now_ns(void);

#endif /* _HOMA_UTIL_H */
