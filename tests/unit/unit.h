/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal unit-test harness for Homa's functional core. Each test file
 * defines cases with UNIT_TEST(function__case); the runner executes every
 * registered case (or those whose name contains argv[1]) and ends with the
 * line "N passed, N failed".
 */
#ifndef _HOMA_UNIT_H
#define _HOMA_UNIT_H

#include <stdio.h>

struct unit_case {
	const char *name;
	void (*fn)(void);
	struct unit_case *next;
};

void unit_register(struct unit_case *c);
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set by unit_fail(); a case stops at its first failed assertion. */
extern int unit_failed;

#define UNIT_TEST(name)							\
	static void name(void);						\
	static struct unit_case name##_case = { #name, name, NULL };	\
	__attribute__((constructor)) static void name##_register(void)	\
	{								\
		unit_register(&name##_case);				\
	}								\
	static void name(void)

#define EXPECT_EQ(expected, actual)					\
	do {								\
		long long _e = (long long)(expected);			\
		long long _a = (long long)(actual);			\
		if (_e != _a) {						\
			unit_fail(__FILE__, __LINE__,			\
				  "%s == %s: expected %lld, got %lld",	\
				  #expected, #actual, _e, _a);		\
			return;						\
		}							\
	} while (0)

#define EXPECT_TRUE(cond)						\
	do {								\
		if (!(cond)) {						\
			unit_fail(__FILE__, __LINE__, "%s is false",	\
				  #cond);				\
			return;						\
		}							\
	} while (0)

#endif /* _HOMA_UNIT_H */
