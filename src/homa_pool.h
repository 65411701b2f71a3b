/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive buffer pool bookkeeping (functional core). A socket's buffer
 * region is cut into bpages of HOMA_BPAGE_SIZE bytes. A message of length
 * L occupies ceil(L / HOMA_BPAGE_SIZE) chunks: every chunk but the last is
 * a whole bpage of its own; the last (L % HOMA_BPAGE_SIZE bytes, when not
 * 0) is placed in the partly used bpage that the allocating CPU owns, so
 * small messages share bpages. This file decides where chunks go; the
 * kernel glue (homa_rcvbuf.c) owns the memory, the lock and the copies.
 */
#ifndef _HOMA_POOL_H
#define _HOMA_POOL_H

#include <linux/homa.h>
#include "homa_core.h"

/* Value of homa_pool_cpu.page when the CPU owns no bpage. */
#define HOMA_POOL_NO_PAGE 0xffffffffU

/* Chunks inside a shared bpage start on this boundary. */
#define HOMA_POOL_CHUNK_ALIGN 64

/**
 * struct homa_pool_cpu - The partly used bpage one CPU allocates tails in.
 */
struct homa_pool_cpu {
	/** @page: index of the bpage, or HOMA_POOL_NO_PAGE. */
	u32 page;

	/** @used: bytes of @page handed out so far. */
	u32 used;

	/**
	 * @lease_end: time after which another allocation may take the
	 * page from this CPU when free bpages run out (units of "now").
	 */
	u64 lease_end;
};

/**
 * struct homa_pool - Allocation state of one buffer region. The arrays
 * are allocated by the caller (homa_pool_init documents their sizes).
 */
struct homa_pool {
	/** @num_bpages: bpages in the region. */
	u32 num_bpages;

	/**
	 * @refs: per bpage, chunks handed out and not yet given back,
	 * plus 1 while a CPU owns the bpage for tails.
	 */
	u32 *refs;

	/** @free: stack of the indexes of bpages whose refs are 0. */
	u32 *free;

	/** @num_free: entries in @free. */
	u32 num_free;

	/** @num_cpus: entries in @cpus. */
	u32 num_cpus;

	/** @cpus: per CPU, its partly used bpage. */
	struct homa_pool_cpu *cpus;
};

void homa_pool_init(struct homa_pool *pool, u32 num_bpages, u32 *refs,
		    u32 *free, u32 num_cpus, struct homa_pool_cpu *cpus);
int homa_pool_alloc(struct homa_pool *pool, u32 length, u32 cpu, u64 now,
		    u64 lease, u32 *offsets);
int homa_pool_release(struct homa_pool *pool, u32 offset);
int homa_pool_release_all(struct homa_pool *pool, u32 num, const u32 *offsets);
u64 homa_pool_avail_bytes(const struct homa_pool *pool);

#endif /* _HOMA_POOL_H */
