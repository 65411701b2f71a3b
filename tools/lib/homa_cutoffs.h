/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unscheduled priority cutoffs from the message length histogram of
 * /proc/net/homa_metrics, the way the Homa paper chooses them: the share
 * of unscheduled bytes in all bytes received decides how many of the
 * levels carry unscheduled bytes, and those levels split the unscheduled
 * bytes evenly, shortest messages at the highest level. Pure functions,
 * used by tools/homa_cutoffs.c and tested in tests/unit.
 */
#ifndef _HOMA_CUTOFFS_H
#define _HOMA_CUTOFFS_H

#include <stdint.h>
#include <stdio.h>

/* Priority levels, as in the module (HOMA_MAX_PRIORITIES). */
#define HOMA_CUTOFFS_LEVELS 8

/* A message length that every cutoff admits (HOMA_MAX_MESSAGE_LENGTH). */
#define HOMA_CUTOFFS_ALL 1000000

/*
 * The histogram's buckets, as the module prints them (msg_bytes_N): 64
 * bytes wide up to 4096, then 1024 bytes wide up to 131072. Bucket i
 * holds the bytes of messages with lengths in
 * (homa_hist_limit(i - 1), homa_hist_limit(i)].
 */
#define HOMA_HIST_SMALL_STEP	64
#define HOMA_HIST_SMALL_MAX	4096
#define HOMA_HIST_MEDIUM_STEP	1024
#define HOMA_HIST_MEDIUM_MAX	131072
#define HOMA_HIST_BUCKETS	(HOMA_HIST_SMALL_MAX / HOMA_HIST_SMALL_STEP + \
				 (HOMA_HIST_MEDIUM_MAX - HOMA_HIST_SMALL_MAX) / \
				 HOMA_HIST_MEDIUM_STEP)

/**
 * struct homa_hist - Bytes of complete incoming messages, by length.
 */
struct homa_hist {
	/** @bytes: per bucket (msg_bytes_N). */
	uint64_t bytes[HOMA_HIST_BUCKETS];

	/** @large_count: messages longer than HOMA_HIST_MEDIUM_MAX. */
	uint64_t large_count;

	/** @large_bytes: their bytes. */
	uint64_t large_bytes;
};

/**
 * struct homa_cutoffs - What homa_cutoffs_compute() found.
 */
struct homa_cutoffs {
	/** @total_bytes: all bytes of the histogram. */
	double total_bytes;

	/** @unsched_bytes: estimated unscheduled bytes among them. */
	double unsched_bytes;

	/** @share: @unsched_bytes / @total_bytes. */
	double share;

	/** @levels: levels for unscheduled bytes, the top ones in use. */
	uint32_t levels;

	/**
	 * @cutoffs: the vector for the unsched_cutoffs sysctl: for each
	 * level, the longest message it carries.
	 */
	uint32_t cutoffs[HOMA_CUTOFFS_LEVELS];

	/**
	 * @level_bytes: estimated unscheduled bytes that each level
	 * carries with these cutoffs.
	 */
	double level_bytes[HOMA_CUTOFFS_LEVELS];

	/** @max_sched_prio: what the module derives from @cutoffs. */
	uint32_t max_sched_prio;
};

uint32_t homa_hist_limit(unsigned int bucket);
int homa_hist_bucket(uint32_t limit);
int homa_hist_add(struct homa_hist *hist, const char *name, uint64_t value);
int homa_hist_read(FILE *f, struct homa_hist *hist, char *why,
		   size_t why_size);
uint32_t homa_cutoffs_level(const uint32_t *cutoffs, uint32_t num_priorities,
			    uint32_t length);
uint32_t homa_cutoffs_max_sched(const uint32_t *cutoffs,
				uint32_t num_priorities);
int homa_cutoffs_compute(const struct homa_hist *hist, uint32_t unsched_bytes,
			 uint32_t num_priorities, struct homa_cutoffs *out);

#endif /* _HOMA_CUTOFFS_H */
