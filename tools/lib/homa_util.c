// SPDX-License-Identifier: GPL-2.0
/* Error exits, warnings and a clock for the Homa tools; see homa_util.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "homa_util.h"

const char *homa_prog = "homa";

static void homa_vmessage(const char *fmt, va_list ap)
{
	/* Whatever the program printed comes first. */
	fflush(stdout);
	fprintf(stderr, "%s: ", homa_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/**
 * homa_die() - Print "PROG: message" on stderr and exit.
 * @status: the exit status.
 * @fmt:    printf format of the message.
 */
void homa_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	homa_vmessage(fmt, ap);
	va_end(ap);
	exit(status);
}

/**
 * homa_warn() - Print "PROG: message" on stderr.
 * @fmt: printf format of the message.
 */
void homa_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	homa_vmessage(fmt, ap);
	va_end(ap);
}

/* Nanoseconds of CLOCK_MONOTONIC. */
uint64_t homa_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
