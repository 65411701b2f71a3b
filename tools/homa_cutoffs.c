// SPDX-License-Identifier: GPL-2.0
/*
 * homa_cutoffs: choose Homa's unscheduled priority cutoffs from the
 * lengths of the messages this host received, and optionally set them.
 *
 * Reads the length histogram of /proc/net/homa_metrics (msg_bytes_N,
 * large_msg_count, large_msg_bytes) and the sysctls unsched_bytes and
 * num_priorities, computes the cutoffs as the Homa paper does
 * (homa_cutoffs_compute() in tools/lib/homa_cutoffs.c), prints how it
 * got there and the vector, and with --set writes the vector to
 * /proc/sys/net/homa/unsched_cutoffs and checks what the module made of
 * it. `--help` tells everything.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "homa_cutoffs.h"

#include "homa_util.h"

#define DEFAULT_SOURCE "/proc/net/homa_metrics"
#define SYSCTL_DIR "/proc/sys/net/homa/"

static struct {
	const char *source;
	uint32_t unsched_bytes;		/* 0: from the sysctl */
	uint32_t num_priorities;	/* 0: from the sysctl */
	int set;
} opt = {
	.source = DEFAULT_SOURCE,
};

static const char *const usage_text =
"usage: homa_cutoffs [--file PATH] [--unsched-bytes N]\n"
"                    [--num-priorities N] [--set]\n"
"\n"
"Computes unscheduled priority cutoffs for Homa from the lengths of the\n"
"messages this host (network namespace) received: the histogram of\n"
DEFAULT_SOURCE " (msg_bytes_N, large_msg_count,\n"
"large_msg_bytes). Each message's first unsched_bytes bytes are\n"
"unscheduled. The top K levels carry them, K being num_priorities times\n"
"their share of all bytes, rounded, at least 1 and at most\n"
"num_priorities - 1; each level an equal part, the shortest messages\n"
"the highest. The lowest of them takes every length (cutoff 1000000),\n"
"so max_sched_prio becomes the level below it. Prints the totals, K,\n"
"each unscheduled level's cutoff and share, then\n"
"\n"
"  unsched_cutoffs C0 C1 C2 C3 C4 C5 C6 C7\n"
"  max_sched_prio N\n"
"\n"
"Options:\n"
"  -f, --file PATH          read the histogram from PATH (a copy of\n"
"                           " DEFAULT_SOURCE " or of\n"
"                           /proc/net/homa_metrics_cpu) instead\n"
"  -u, --unsched-bytes N    compute for unsched_bytes N (1..1000000)\n"
"                           instead of " SYSCTL_DIR "unsched_bytes\n"
"  -n, --num-priorities N   compute for N levels (1..8) instead of\n"
"                           " SYSCTL_DIR "num_priorities\n"
"  -s, --set                write the cutoffs to\n"
"                           " SYSCTL_DIR "unsched_cutoffs\n"
"                           (needs CAP_NET_ADMIN), then print the new\n"
"                           cutoff_version and max_sched_prio\n"
"  -h, --help               this text\n"
"\n"
"Exit status: 0; 1 if the histogram or the sysctls cannot be read, the\n"
"histogram is empty (nothing is set then) or setting failed; 2 for a\n"
"usage error.\n";

/*
 * Read the values of sysctl @name into @vals (at most @max). Returns how
 * many were read, or -1 with errno set.
 */
static int sysctl_read(const char *name, uint32_t *vals, int max)
{
	char path[128], buf[256], *p, *end;
	unsigned long v;
	ssize_t len;
	int fd, n = 0;

	snprintf(path, sizeof(path), SYSCTL_DIR "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = 0;
	for (p = buf; n < max; p = end) {
		errno = 0;
		v = strtoul(p, &end, 10);
		if (end == p)
			break;
		if (errno || v > UINT32_MAX) {
			errno = ERANGE;
			return -1;
		}
		vals[n++] = v;
	}
	if (n == 0) {
		errno = EINVAL;
		return -1;
	}
	return n;
}

/* The single value of sysctl @name. Exits on failure. */
static uint32_t sysctl_get(const char *name)
{
	uint32_t v;

	if (sysctl_read(name, &v, 1) != 1) {
		if (errno == ENOENT)
			homa_die(1, "cannot read " SYSCTL_DIR "%s: %s (is the homa module loaded?)",
				 name, strerror(errno));
		homa_die(1, "cannot read " SYSCTL_DIR "%s: %s", name,
			 strerror(errno));
	}
	return v;
}

static void read_hist(struct homa_hist *hist)
{
	char why[200];
	FILE *f;
	int n;

	f = fopen(opt.source, "r");
	if (!f) {
		if (errno == ENOENT && strcmp(opt.source, DEFAULT_SOURCE) == 0)
			homa_die(1, "cannot open %s: %s (is the homa module loaded?)",
				 opt.source, strerror(errno));
		homa_die(1, "cannot open %s: %s", opt.source, strerror(errno));
	}
	n = homa_hist_read(f, hist, why, sizeof(why));
	fclose(f);
	if (n < 0)
		homa_die(1, "%s: %s", opt.source, why);
	if (n == 0)
		homa_die(1, "%s has no message length histogram (msg_bytes_N)",
			 opt.source);
}

static void print_result(const struct homa_cutoffs *c, uint32_t unsched_bytes,
			 uint32_t num_priorities)
{
	uint32_t bottom = num_priorities - c->levels;
	uint32_t level;
	int i;

	printf("histogram: %s\n", opt.source);
	printf("total_bytes %.0f in complete incoming messages\n",
	       c->total_bytes);
	printf("unscheduled_bytes %.0f, %.1f%% of them (unsched_bytes %u)\n",
	       c->unsched_bytes, 100 * c->share, unsched_bytes);
	printf("unscheduled_levels %u of %u (%u x %.3f = %.2f, rounded, within 1..%u)\n",
	       c->levels, num_priorities, num_priorities, c->share,
	       num_priorities * c->share,
	       num_priorities > 1 ? num_priorities - 1 : 1);
	for (level = num_priorities; level-- > bottom;)
		printf("level %u: messages up to %u bytes, %.1f%% of the unscheduled bytes\n",
		       level, c->cutoffs[level],
		       100 * c->level_bytes[level] / c->unsched_bytes);
	if (num_priorities == 1)
		printf("level 0 also carries the scheduled bytes (num_priorities 1)\n");
	else if (bottom == 1)
		printf("level 0: scheduled bytes\n");
	else
		printf("levels 0-%u: scheduled bytes\n", bottom - 1);
	printf("unsched_cutoffs");
	for (i = 0; i < HOMA_CUTOFFS_LEVELS; i++)
		printf(" %u", c->cutoffs[i]);
	printf("\nmax_sched_prio %u\n", c->max_sched_prio);
	fflush(stdout);
}

/* Write the cutoffs to the sysctl and check what the module made of it. */
static void set_cutoffs(const struct homa_cutoffs *c)
{
	uint32_t now[HOMA_CUTOFFS_LEVELS], version, prio, next;
	const char *path = SYSCTL_DIR "unsched_cutoffs";
	char buf[128];
	int fd, i, len = 0;
	ssize_t done;

	version = sysctl_get("cutoff_version");
	for (i = 0; i < HOMA_CUTOFFS_LEVELS; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%u",
				i ? " " : "", c->cutoffs[i]);
	len += snprintf(buf + len, sizeof(buf) - len, "\n");
	fd = open(path, O_WRONLY);
	if (fd < 0)
		homa_die(1, "cannot open %s for writing: %s", path, strerror(errno));
	done = write(fd, buf, len);
	if (done != len)
		homa_die(1, "cannot write %s: %s", path,
			 done < 0 ? strerror(errno) : "short write");
	if (close(fd))
		homa_die(1, "cannot write %s: %s", path, strerror(errno));

	if (sysctl_read("unsched_cutoffs", now, HOMA_CUTOFFS_LEVELS) !=
	    HOMA_CUTOFFS_LEVELS)
		homa_die(1, "cannot read back %s: %s", path, strerror(errno));
	if (memcmp(now, c->cutoffs, sizeof(now)) != 0)
		homa_die(1, "%s does not hold the cutoffs written (another writer?)",
			 path);
	prio = sysctl_get("max_sched_prio");
	next = sysctl_get("cutoff_version");
	printf("set %s\n", path);
	if (next == version)
		printf("cutoff_version %u (unchanged: the cutoffs were already these)\n",
		       version);
	else
		printf("cutoff_version %u -> %u\n", version, next);
	printf("module max_sched_prio %u\n", prio);
	if (prio != c->max_sched_prio)
		homa_die(1, "the module's max_sched_prio is %u, not %u", prio,
			 c->max_sched_prio);
}

static uint32_t parse_u32(const char *name, const char *arg, uint32_t min,
			  uint32_t max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || *arg == '-' || v < min || v > max)
		homa_die(2, "%s: expected a number from %u to %u, not \"%s\"", name,
			 min, max, arg);
	return v;
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "unsched-bytes", required_argument, NULL, 'u' },
		{ "num-priorities", required_argument, NULL, 'n' },
		{ "set", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "f:u:n:sh", longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'f':
			opt.source = optarg;
			break;
		case 'u':
			opt.unsched_bytes = parse_u32("--unsched-bytes", optarg,
						      1, HOMA_CUTOFFS_ALL);
			break;
		case 'n':
			opt.num_priorities = parse_u32("--num-priorities",
						       optarg, 1,
						       HOMA_CUTOFFS_LEVELS);
			break;
		case 's':
			opt.set = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			fputs(usage_text, stderr);
			exit(2);
		}
	}
	if (optind < argc)
		homa_die(2, "unexpected argument \"%s\" (see --help)", argv[optind]);
}

int main(int argc, char **argv)
{
	uint32_t unsched_bytes, num_priorities, live;
	struct homa_cutoffs c;
	struct homa_hist hist;
	int err;

	homa_prog = "homa_cutoffs";

	parse_args(argc, argv);
	read_hist(&hist);
	unsched_bytes = opt.unsched_bytes ? opt.unsched_bytes :
			sysctl_get("unsched_bytes");
	num_priorities = opt.num_priorities ? opt.num_priorities :
			 sysctl_get("num_priorities");
	if (opt.set && opt.num_priorities) {
		/* The module derives max_sched_prio with its own value. */
		live = sysctl_get("num_priorities");
		if (live != num_priorities)
			homa_die(2, "--set: num_priorities is %u here, not %u: set it first",
				 live, num_priorities);
	}
	err = homa_cutoffs_compute(&hist, unsched_bytes, num_priorities, &c);
	if (err == -ENODATA)
		homa_die(1, "%s: no complete incoming message counted yet: nothing to compute%s",
			 opt.source, opt.set ? ", nothing set" : "");
	if (err)
		homa_die(1, "unsched_bytes %u or num_priorities %u out of range",
			 unsched_bytes, num_priorities);
	print_result(&c, unsched_bytes, num_priorities);
	if (opt.set)
		set_cutoffs(&c);
	return 0;
}
