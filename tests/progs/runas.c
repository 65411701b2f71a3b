// SPDX-License-Identifier: GPL-2.0
/*
 * runas: run a command as an unprivileged user, for tests of what only
 * privileged users may do.
 *
 * usage: runas CMD [ARG...]
 * Must start as root. Drops every supplementary group, sets the real,
 * effective and saved group and user ids to 65534 ("nobody"; capabilities
 * go with the user id), checks that root cannot be had back, then execs
 * CMD (searched in PATH). Exits 2 for a usage error, 1 if any step fails.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NOBODY 65534

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: runas CMD [ARG...]\n");
		return 2;
	}
	if (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 ||
	    setuid(NOBODY) != 0) {
		fprintf(stderr, "runas: cannot become %d: %s\n", NOBODY,
			strerror(errno));
		return 1;
	}
	if (setuid(0) == 0 || getuid() != NOBODY || geteuid() != NOBODY ||
	    getgid() != NOBODY || getegid() != NOBODY) {
		fprintf(stderr, "runas: still privileged after dropping root\n");
		return 1;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "runas: %s: %s\n", argv[1], strerror(errno));
	return 1;
}
