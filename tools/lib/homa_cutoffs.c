// SPDX-License-Identifier: GPL-2.0
/*
 * Unscheduled priority cutoffs from the message length histogram; see
 * homa_cutoffs.h.
 *
 * The histogram gives bytes per length bucket, not message lengths, so
 * the unscheduled bytes of a bucket are estimated: its messages are taken
 * to be as long as the middle of the bucket. A bucket wholly at or below
 * unsched_bytes is then all unscheduled; one above it holds
 * bytes / middle messages of unsched_bytes unscheduled bytes each.
 * Messages longer than the histogram (large_msg_*) are counted exactly
 * when unsched_bytes is below their lengths, which it is by default.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "homa_cutoffs.h"
#include "homa_metrics_text.h"

/* Buckets of the 64-byte part of the histogram. */
#define HOMA_HIST_SMALL_BUCKETS (HOMA_HIST_SMALL_MAX / HOMA_HIST_SMALL_STEP)

/**
 * homa_hist_limit() - Longest message length of a bucket.
 * @bucket: index, below HOMA_HIST_BUCKETS.
 *
 * Return: the N of its msg_bytes_N.
 */
uint32_t homa_hist_limit(unsigned int bucket)
{
	if (bucket < HOMA_HIST_SMALL_BUCKETS)
		return (bucket + 1) * HOMA_HIST_SMALL_STEP;
	return HOMA_HIST_SMALL_MAX +
	       (bucket - HOMA_HIST_SMALL_BUCKETS + 1) * HOMA_HIST_MEDIUM_STEP;
}

/**
 * homa_hist_bucket() - The bucket of msg_bytes_N.
 * @limit: N.
 *
 * Return: the bucket whose longest length is @limit, or -1 if there is
 * none.
 */
int homa_hist_bucket(uint32_t limit)
{
	if (limit == 0 || limit > HOMA_HIST_MEDIUM_MAX)
		return -1;
	if (limit <= HOMA_HIST_SMALL_MAX) {
		if (limit % HOMA_HIST_SMALL_STEP)
			return -1;
		return limit / HOMA_HIST_SMALL_STEP - 1;
	}
	if ((limit - HOMA_HIST_SMALL_MAX) % HOMA_HIST_MEDIUM_STEP)
		return -1;
	return HOMA_HIST_SMALL_BUCKETS +
	       (limit - HOMA_HIST_SMALL_MAX) / HOMA_HIST_MEDIUM_STEP - 1;
}

/**
 * homa_hist_add() - Add one counter of /proc/net/homa_metrics to a
 * histogram, if it belongs to it.
 * @hist:  the histogram.
 * @name:  the counter's name: msg_bytes_N, large_msg_count and
 *         large_msg_bytes are taken; a "cpuC." prefix (as in
 *         /proc/net/homa_metrics_cpu) is skipped, so that the CPUs' counts
 *         add up.
 * @value: its value, added to what @hist holds.
 *
 * Return: 1 if the counter was added, 0 if it is not part of the
 * histogram, -1 if it is a msg_bytes_N whose N is not a bucket of ours.
 */
int homa_hist_add(struct homa_hist *hist, const char *name, uint64_t value)
{
	const char *p = name;
	uint64_t limit;
	int bucket;

	if (strncmp(p, "cpu", 3) == 0 && p[3] >= '0' && p[3] <= '9') {
		p += 3;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p != '.')
			return 0;
		name = p + 1;
	}
	if (strcmp(name, "large_msg_count") == 0) {
		hist->large_count += value;
		return 1;
	}
	if (strcmp(name, "large_msg_bytes") == 0) {
		hist->large_bytes += value;
		return 1;
	}
	if (strncmp(name, "msg_bytes_", 10) != 0)
		return 0;
	if (homa_parse_u64(name + 10, &limit) || limit > UINT32_MAX)
		return -1;
	bucket = homa_hist_bucket(limit);
	if (bucket < 0)
		return -1;
	hist->bytes[bucket] += value;
	return 1;
}

/**
 * homa_hist_read() - Read a histogram from the text of
 * /proc/net/homa_metrics (lines "name value comment").
 * @f:        the text.
 * @hist:     filled from zero.
 * @why:      on failure, a message saying what is wrong.
 * @why_size: bytes at @why.
 *
 * Lines of another form and other counters are skipped.
 *
 * Return: the number of histogram counters found (0 if the text has
 * none), or -1 if it cannot be read or names a bucket we do not know.
 */
int homa_hist_read(FILE *f, struct homa_hist *hist, char *why,
		   size_t why_size)
{
	char line[512], *name, *comment;
	int found = 0, lineno = 0, ret;
	uint64_t value;

	memset(hist, 0, sizeof(*hist));
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (homa_metrics_split(line, &name, &value, &comment))
			continue;
		ret = homa_hist_add(hist, name, value);
		if (ret < 0) {
			snprintf(why, why_size,
				 "line %d: %s is not a bucket of the histogram (64-byte buckets to %d, then 1024-byte buckets to %d)",
				 lineno, name, HOMA_HIST_SMALL_MAX,
				 HOMA_HIST_MEDIUM_MAX);
			return -1;
		}
		found += ret;
	}
	if (ferror(f)) {
		snprintf(why, why_size, "%s", strerror(errno ? errno : EIO));
		return -1;
	}
	return found;
}

/**
 * homa_cutoffs_level() - The level a sender picks for the unscheduled
 * bytes of a message, as homa_prio_unsched() does in the module.
 * @cutoffs:        HOMA_CUTOFFS_LEVELS cutoffs.
 * @num_priorities: levels in use.
 * @length:         message length.
 *
 * Return: the highest level i in 1..@num_priorities - 1 with @length <=
 * @cutoffs[i], else 0.
 */
uint32_t homa_cutoffs_level(const uint32_t *cutoffs, uint32_t num_priorities,
			    uint32_t length)
{
	uint32_t i;

	if (num_priorities > HOMA_CUTOFFS_LEVELS)
		num_priorities = HOMA_CUTOFFS_LEVELS;
	for (i = num_priorities; i > 1; i--) {
		if (length <= cutoffs[i - 1])
			return i - 1;
	}
	return 0;
}

/**
 * homa_cutoffs_max_sched() - The max_sched_prio that the module derives
 * from cutoffs, as homa_prio_max_sched() does.
 * @cutoffs:        HOMA_CUTOFFS_LEVELS cutoffs.
 * @num_priorities: levels in use.
 *
 * Return: one less than the highest level whose cutoff admits every
 * message, else @num_priorities - 1.
 */
uint32_t homa_cutoffs_max_sched(const uint32_t *cutoffs,
				uint32_t num_priorities)
{
	uint32_t i;

	if (num_priorities > HOMA_CUTOFFS_LEVELS)
		num_priorities = HOMA_CUTOFFS_LEVELS;
	for (i = num_priorities; i > 1; i--) {
		if (cutoffs[i - 1] >= HOMA_CUTOFFS_ALL)
			return i - 2;
	}
	return num_priorities ? num_priorities - 1 : 0;
}

/* Estimated unscheduled bytes among the @bytes of bucket @b. */
static double homa_bucket_unsched(unsigned int b, uint64_t bytes,
				  uint32_t unsched_bytes)
{
	double low = b ? homa_hist_limit(b - 1) : 0;
	double middle = (low + 1 + homa_hist_limit(b)) / 2;

	if (middle <= unsched_bytes)
		return bytes;
	return bytes * (unsched_bytes / middle);
}

/**
 * homa_cutoffs_compute() - Choose unscheduled cutoffs for a histogram.
 * @hist:           bytes of the messages received, by length.
 * @unsched_bytes:  bytes that senders send before grants (1..1000000).
 * @num_priorities: levels in use (1..HOMA_CUTOFFS_LEVELS).
 * @out:            the result.
 *
 * Each message's unscheduled bytes are min(length, @unsched_bytes). The
 * number of unscheduled levels K is @num_priorities times their share
 * of all bytes, rounded, but at least 1 and at most @num_priorities - 1,
 * so that scheduled bytes keep a level of their own (with one level, both
 * share it). The top K levels split the unscheduled bytes evenly,
 * shortest messages highest: the cutoff of each but the lowest is the
 * limit of the bucket where its share is complete (HOMA_HIST_MEDIUM_MAX
 * when that is among the longer messages, which the histogram cannot
 * split), so cutoffs never decrease from one level to the one below it.
 * The lowest unscheduled level admits every message (HOMA_CUTOFFS_ALL),
 * which makes the module's max_sched_prio the level below it; the levels
 * below get 0, and so do levels at or above @num_priorities, which are
 * not used.
 *
 * Return: 0; -EINVAL if an argument is out of range; -ENODATA if the
 * histogram is empty (@out then holds the totals only).
 */
int homa_cutoffs_compute(const struct homa_hist *hist, uint32_t unsched_bytes,
			 uint32_t num_priorities, struct homa_cutoffs *out)
{
	double unsched[HOMA_HIST_BUCKETS], large, target, sum, slack;
	uint32_t top, bottom, level, j;
	unsigned int b;

	memset(out, 0, sizeof(*out));
	if (unsched_bytes < 1 || unsched_bytes > HOMA_CUTOFFS_ALL ||
	    num_priorities < 1 || num_priorities > HOMA_CUTOFFS_LEVELS)
		return -EINVAL;

	for (b = 0; b < HOMA_HIST_BUCKETS; b++) {
		unsched[b] = homa_bucket_unsched(b, hist->bytes[b],
						 unsched_bytes);
		out->total_bytes += hist->bytes[b];
		out->unsched_bytes += unsched[b];
	}
	large = (double)hist->large_count * unsched_bytes;
	if (large > hist->large_bytes)
		large = hist->large_bytes;
	out->total_bytes += hist->large_bytes;
	out->unsched_bytes += large;
	if (out->total_bytes <= 0 || out->unsched_bytes <= 0)
		return -ENODATA;
	out->share = out->unsched_bytes / out->total_bytes;

	/* Rounded to the nearest (the share is at most 1). */
	out->levels = (uint32_t)(num_priorities * out->share + 0.5);
	if (num_priorities > 1 && out->levels > num_priorities - 1)
		out->levels = num_priorities - 1;
	if (out->levels < 1)
		out->levels = 1;
	top = num_priorities - 1;
	bottom = num_priorities - out->levels;

	/* Level top - j ends where (j + 1) / K of the bytes are covered. */
	slack = out->unsched_bytes / 1e12;
	sum = 0;
	b = 0;
	for (j = 0; j + 1 < out->levels; j++) {
		target = out->unsched_bytes * (j + 1) / out->levels - slack;
		while (b < HOMA_HIST_BUCKETS && sum + unsched[b] < target)
			sum += unsched[b++];
		out->cutoffs[top - j] = b < HOMA_HIST_BUCKETS ?
					homa_hist_limit(b) :
					HOMA_HIST_MEDIUM_MAX;
	}
	out->cutoffs[bottom] = HOMA_CUTOFFS_ALL;
	out->max_sched_prio = homa_cutoffs_max_sched(out->cutoffs,
						     num_priorities);

	for (b = 0; b < HOMA_HIST_BUCKETS; b++) {
		level = homa_cutoffs_level(out->cutoffs, num_priorities,
					   homa_hist_limit(b));
		out->level_bytes[level] += unsched[b];
	}
	level = homa_cutoffs_level(out->cutoffs, num_priorities,
				   HOMA_HIST_MEDIUM_MAX + 1);
	out->level_bytes[level] += large;
	return 0;
}
