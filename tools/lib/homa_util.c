// SPDX-License-Identifier: GPL-2.0
/*
 * Error exits, warnings, command-line numbers and a clock for the Homa
 * tools; see homa_util.h.
 */
#include <errno.h>
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

/**
 * homa_usage_error() - Print "PROG: message (see PROG --help)" on stderr
 * and exit with status 2, the status of a usage error.
 * @fmt: printf format of the message.
 */
void homa_usage_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", homa_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s --help)\n", homa_prog);
	exit(2);
}

/**
 * homa_parse_num() - A command-line number (decimal, 0x hex or 0 octal)
 * in [@min, @max]; a usage error otherwise.
 * @text: the argument.
 * @min:  smallest value allowed.
 * @max:  largest value allowed.
 * @what: what the number is, for the message.
 *
 * Return: the number.
 */
long homa_parse_num(const char *text, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 0);
	if (errno || end == text || *end || v < min || v > max)
		homa_usage_error("bad %s \"%s\" (must be %ld..%ld)", what, text,
				 min, max);
	return v;
}

/**
 * homa_parse_bytes() - A command-line byte count above 0, with an
 * optional K (2^10) or M (2^20) suffix; a usage error otherwise.
 * @text: the argument.
 *
 * Return: the count.
 */
size_t homa_parse_bytes(const char *text)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 0);
	if (*end == 'K' || *end == 'k') {
		v <<= 10;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		v <<= 20;
		end++;
	}
	if (errno || end == text || *end || v == 0)
		homa_usage_error("bad byte count \"%s\"", text);
	return v;
}

/* Nanoseconds of CLOCK_MONOTONIC. */
uint64_t homa_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
