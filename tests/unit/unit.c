// SPDX-License-Identifier: GPL-2.0
/* The unit-test runner; see unit.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

static struct unit_case *unit_cases;
static struct unit_case **unit_tail = &unit_cases;
int unit_failed;

void unit_register(struct unit_case *c)
{
	*unit_tail = c;
	unit_tail = &c->next;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	unit_failed = 1;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0;
	struct unit_case *c;

	for (c = unit_cases; c; c = c->next) {
		if (filter && !strstr(c->name, filter))
			continue;
		unit_failed = 0;
		c->fn();
		if (unit_failed) {
			printf("not ok %s\n", c->name);
			failed++;
		} else {
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
