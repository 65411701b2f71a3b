// SPDX-License-Identifier: GPL-2.0
/*
 * homa_metrics: show what Homa did since the last look.
 *
 * Reads /proc/net/homa_metrics (lines of "name value comment"), compares
 * it with the values saved by the previous run in a state file, and
 * prints each counter that changed with its increase, its rate per
 * second and its total. The state file then holds the new values, so the
 * next run covers the time since this one. --all prints every counter;
 * --interval N repeats every N seconds. `--help` tells everything.
 *
 * The counters of /proc/net/homa_metrics belong to one network namespace
 * and start at 0 when the module is loaded (or the namespace created).
 * So the state records the namespace, and a counter found lower than its
 * saved value means that all of them started again from 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "homa_metrics_text.h"
#include "homa_util.h"

#define DEFAULT_SOURCE "/proc/net/homa_metrics"
#define DEFAULT_STATE_NAME ".homa_metrics"
#define PER_CPU_SOURCE "/proc/net/homa_metrics_cpu"
#define PER_CPU_STATE_NAME ".homa_metrics_cpu"
#define STATE_MAGIC "homa_metrics-state 1"

/* Longest counter name and comment kept; longer ones are cut. */
#define NAME_MAX_LEN 64
#define COMMENT_MAX_LEN 120

/* Most counters read from one file. */
#define MAX_COUNTERS 4096

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Values that are high-water marks rather than counters: they can rise,
 * but a rate per second means nothing for them.
 */
static const char *const maxima[] = {
	"grant_max_incoming",
};

struct counter {
	char name[NAME_MAX_LEN];
	char comment[COMMENT_MAX_LEN];
	uint64_t value;
};

/* One reading of the counters, or the state of a previous run. */
struct snapshot {
	struct counter *c;
	size_t n;
	size_t cap;
	double time;		/* CLOCK_REALTIME, seconds */
	uint64_t netns;		/* inode of the network namespace, 0: unknown */
};

static struct {
	const char *source;
	const char *state;
	const char *state_name;	/* in the home directory, without --state */
	int all;
	double interval;	/* seconds; 0: run once */
	long count;		/* reports with --interval; 0: no limit */
} opt = {
	.source = DEFAULT_SOURCE,
	.state_name = DEFAULT_STATE_NAME,
};

static const char *const usage_text =
"usage: homa_metrics [--all] [--state FILE] [--interval SEC [--count N]]\n"
"                    [--per-cpu | --file PATH]\n"
"\n"
"Prints the Homa counters of /proc/net/homa_metrics (this network\n"
"namespace) that changed since the last run of homa_metrics, one a line:\n"
"\n"
"  name  delta  rate/s  total  comment\n"
"\n"
"delta is the increase since the last run, rate/s that increase divided\n"
"by the seconds elapsed (shown in the heading line), total the value\n"
"now. The values are then saved in a state file for the next run. On the\n"
"first run (no state yet) the deltas are the totals since the counters\n"
"started and no rate is shown. grant_max_incoming is a high-water mark,\n"
"not a counter: its delta is how far it rose, and it has no rate.\n"
"\n"
"Options:\n"
"  -a, --all            print every counter, changed or not\n"
"  -s, --state FILE     state file (default ~/" DEFAULT_STATE_NAME "). A state\n"
"                       saved in another network namespace is ignored;\n"
"                       when a counter is lower than its saved value the\n"
"                       counters restarted (module reloaded): totals are\n"
"                       shown, as on a first run\n"
"  -i, --interval SEC   repeat every SEC seconds (decimals allowed), each\n"
"                       report covering the time since the one before;\n"
"                       the state file is updated after every report\n"
"  -c, --count N        with --interval: stop after N reports\n"
"  -p, --per-cpu        each CPU's counters, from " PER_CPU_SOURCE "\n"
"                       (names cpuN.name; counters still 0 are left\n"
"                       out), with their own default state file\n"
"                       ~/" PER_CPU_STATE_NAME "\n"
"  -f, --file PATH      read the counters from PATH instead of\n"
"                       " DEFAULT_SOURCE "\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0, or 1 if the counters could not be read or the state\n"
"could not be saved, 2 for a usage error.\n";

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Identity of this process's network namespace, 0 if unknown. */
static uint64_t current_netns(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) != 0)
		return 0;
	return st.st_ino;
}

static int is_maximum(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(maxima); i++) {
		if (strcmp(name, maxima[i]) == 0)
			return 1;
	}
	return 0;
}

static void snapshot_free(struct snapshot *s)
{
	free(s->c);
	s->c = NULL;
	s->n = 0;
	s->cap = 0;
}

/* Append a counter; returns it, or NULL when the table is full. */
static struct counter *snapshot_add(struct snapshot *s, const char *name,
				    uint64_t value)
{
	struct counter *c;

	if (s->n == MAX_COUNTERS)
		return NULL;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		c = realloc(s->c, s->cap * sizeof(*c));
		if (!c)
			homa_die(1, "out of memory");
		s->c = c;
	}
	c = &s->c[s->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->value = value;
	return c;
}

static const struct counter *snapshot_find(const struct snapshot *s,
					   const char *name, size_t hint)
{
	size_t i;

	/* Both snapshots usually list the counters in the same order. */
	if (hint < s->n && strcmp(s->c[hint].name, name) == 0)
		return &s->c[hint];
	for (i = 0; i < s->n; i++) {
		if (strcmp(s->c[i].name, name) == 0)
			return &s->c[i];
	}
	return NULL;
}

/* Read the counters from @path. Exits on failure. */
static void read_counters(const char *path, struct snapshot *s)
{
	char line[512], *name, *comment;
	int bad = 0, lineno = 0;
	struct counter *c;
	uint64_t value;
	FILE *f;

	memset(s, 0, sizeof(*s));
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && strcmp(path, DEFAULT_SOURCE) == 0)
			homa_die(1, "cannot open %s: %s (is the homa module loaded?)",
				 path, strerror(errno));
		homa_die(1, "cannot open %s: %s", path, strerror(errno));
	}
	s->time = now_seconds();
	s->netns = current_netns();
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (homa_metrics_split(line, &name, &value, &comment)) {
			if (!bad++)
				homa_warn("%s:%d: not \"name value comment\": ignored",
					  path, lineno);
			continue;
		}
		c = snapshot_add(s, name, value);
		if (!c)
			homa_die(1, "%s: more than %d counters", path, MAX_COUNTERS);
		snprintf(c->comment, sizeof(c->comment), "%s", comment);
	}
	if (ferror(f))
		homa_die(1, "reading %s: %s", path, strerror(errno));
	fclose(f);
	if (s->n == 0)
		homa_die(1, "%s: no counters", path);
}

/*
 * Load the state of the previous run. Returns 0, or -1 (with a note on
 * stderr unless the file simply does not exist) if there is no usable
 * state; the caller then starts over.
 */
static int load_state(const char *path, struct snapshot *s)
{
	char line[512], *name, *comment;
	uint64_t value;
	int ok = 0;
	FILE *f;

	memset(s, 0, sizeof(*s));
	f = fopen(path, "r");
	if (!f) {
		if (errno != ENOENT)
			homa_warn("cannot read state %s: %s; starting over", path,
				  strerror(errno));
		return -1;
	}
	if (!fgets(line, sizeof(line), f) ||
	    strncmp(line, STATE_MAGIC, strlen(STATE_MAGIC)) != 0)
		goto bad;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "time ", 5) == 0) {
			s->time = strtod(line + 5, NULL);
			ok = s->time > 0;
			continue;
		}
		if (homa_metrics_split(line, &name, &value, &comment))
			goto bad;
		if (strcmp(name, "netns") == 0)
			s->netns = value;
		else if (!snapshot_add(s, name, value))
			goto bad;
	}
	fclose(f);
	if (ok)
		return 0;
	snapshot_free(s);
	homa_warn("state %s has no time; starting over", path);
	return -1;

bad:
	fclose(f);
	snapshot_free(s);
	homa_warn("%s is not a homa_metrics state file; starting over", path);
	return -1;
}

/* Write the state atomically (a temporary file, then rename). */
static int save_state(const char *path, const struct snapshot *s)
{
	char *tmp;
	size_t i;
	FILE *f;
	int err;

	if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0)
		homa_die(1, "out of memory");
	f = fopen(tmp, "w");
	if (!f) {
		homa_warn("cannot save state in %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	fprintf(f, "%s\ntime %.9f\nnetns %" PRIu64 "\n", STATE_MAGIC, s->time,
		s->netns);
	for (i = 0; i < s->n; i++)
		fprintf(f, "%s %" PRIu64 "\n", s->c[i].name, s->c[i].value);
	err = ferror(f);
	if (fclose(f) || err || rename(tmp, path)) {
		homa_warn("cannot save state in %s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/*
 * Whether a counter of @cur is lower than in @prev: the counters started
 * again from 0 (module reloaded) since @prev was taken.
 */
static int restarted(const struct snapshot *cur, const struct snapshot *prev)
{
	const struct counter *old;
	size_t i;

	for (i = 0; i < cur->n; i++) {
		old = snapshot_find(prev, cur->c[i].name, i);
		if (old && cur->c[i].value < old->value)
			return 1;
	}
	return 0;
}

/*
 * Print one report: the counters of @cur that changed since @prev (all of
 * them with --all). @prev may be NULL: no previous values, and @why says
 * why not.
 */
static void report(const struct snapshot *cur, const struct snapshot *prev,
		   const char *why)
{
	double elapsed = prev ? cur->time - prev->time : 0;
	int shown = 0, rates;
	char rate[32];
	size_t i;

	if (prev && restarted(cur, prev)) {
		prev = NULL;
		why = "counters restarted since the last run (module reloaded?)";
	}
	rates = prev && elapsed > 0;
	if (rates)
		printf("homa_metrics: %.3f s since the last run\n", elapsed);
	else if (prev)
		printf("homa_metrics: the clock went back since the last run: no rates\n");
	else
		printf("homa_metrics: %s: totals since the counters started\n",
		       why);
	printf("%-32s %14s %14s %20s  %s\n", "name", "delta", "rate/s",
	       "total", "comment");
	for (i = 0; i < cur->n; i++) {
		const struct counter *c = &cur->c[i];
		const struct counter *old = prev ?
					    snapshot_find(prev, c->name, i) :
					    NULL;
		uint64_t delta = c->value - (old ? old->value : 0);

		if (!delta && !opt.all)
			continue;
		if (rates && !is_maximum(c->name))
			snprintf(rate, sizeof(rate), "%.1f", delta / elapsed);
		else
			snprintf(rate, sizeof(rate), "-");
		printf("%-32s %14" PRIu64 " %14s %20" PRIu64 "  %s\n", c->name,
		       delta, rate, c->value, c->comment);
		shown++;
	}
	if (!shown)
		printf("(no counter changed)\n");
	fflush(stdout);
}

static double parse_number(const char *name, const char *arg, double min)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < min)
		homa_die(2, "%s: expected a number >= %g, not \"%s\"", name, min,
			 arg);
	return v;
}

static const char *default_state(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;
	char *path;

	if (!home || !*home) {
		pw = getpwuid(getuid());
		if (!pw || !pw->pw_dir)
			homa_die(2, "no home directory: give --state FILE");
		home = pw->pw_dir;
	}
	if (asprintf(&path, "%s/%s", home, opt.state_name) < 0)
		homa_die(1, "out of memory");
	return path;
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "state", required_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "file", required_argument, NULL, 'f' },
		{ "per-cpu", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, file = 0, per_cpu = 0;

	while ((ch = getopt_long(argc, argv, "as:i:c:f:ph", longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'a':
			opt.all = 1;
			break;
		case 's':
			opt.state = optarg;
			break;
		case 'i':
			opt.interval = parse_number("--interval", optarg, 0.001);
			break;
		case 'c':
			opt.count = (long)parse_number("--count", optarg, 1);
			break;
		case 'f':
			opt.source = optarg;
			file = 1;
			break;
		case 'p':
			opt.source = PER_CPU_SOURCE;
			opt.state_name = PER_CPU_STATE_NAME;
			per_cpu = 1;
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
	if (opt.count && !opt.interval)
		homa_die(2, "--count needs --interval");
	if (file && per_cpu)
		homa_die(2, "--per-cpu and --file exclude each other");
	if (!opt.state)
		opt.state = default_state();
}

static void sleep_seconds(double s)
{
	struct timespec ts = {
		.tv_sec = (time_t)s,
		.tv_nsec = (long)((s - floor(s)) * 1e9),
	};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	struct snapshot prev, cur;
	const char *why = "first run";
	int have_prev, status = 0;
	long reports = 0;

	homa_prog = "homa_metrics";

	parse_args(argc, argv);
	have_prev = load_state(opt.state, &prev) == 0;
	if (!have_prev && access(opt.state, F_OK) == 0)
		why = "no usable state";
	for (;;) {
		read_counters(opt.source, &cur);
		if (have_prev && prev.netns && cur.netns &&
		    prev.netns != cur.netns) {
			homa_warn("state %s comes from another network namespace; starting over",
				  opt.state);
			snapshot_free(&prev);
			have_prev = 0;
			why = "state from another namespace";
		}
		report(&cur, have_prev ? &prev : NULL, why);
		if (save_state(opt.state, &cur))
			status = 1;
		if (have_prev)
			snapshot_free(&prev);
		prev = cur;
		have_prev = 1;
		reports++;
		if (!opt.interval || (opt.count && reports >= opt.count))
			break;
		printf("\n");
		sleep_seconds(opt.interval);
	}
	snapshot_free(&prev);
	return status;
}
