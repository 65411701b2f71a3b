// SPDX-License-Identifier: GPL-2.0
/*
 * Bookkeeping of a socket's receive buffer region. Part of the functional
 * core: it decides which bytes of the region each incoming message
 * occupies; the kernel glue owns the memory and the lock.
 *
 * Whole bpages go to the big pieces of messages so that an application
 * can hand each one back on its own. The small tails of messages are
 * packed into one partly used bpage per CPU, which keeps small messages
 * from using a bpage each and keeps CPUs from contending for the same
 * page. A bpage is reference counted: one reference per chunk handed out,
 * plus one while a CPU owns it. It returns to the free stack only when
 * the count reaches 0, so a page that a CPU still packs tails into is
 * never handed out again.
 */
#include "homa_pool.h"

/* Offsets are u32 byte offsets into the region, so it holds at most
 * 4 GiB of bpages.
 */
#define HOMA_POOL_MAX_BPAGES ((u32)(0x100000000ULL >> HOMA_BPAGE_SHIFT))

/**
 * homa_pool_init() - Set up the bookkeeping of an empty region: every
 * bpage free, no CPU owning one.
 * @pool:       state to initialise.
 * @num_bpages: bpages in the region; only the first 65536 are used, so
 *              that every byte offset fits a u32.
 * @refs:       array of @num_bpages entries; zeroed here.
 * @free:       array of @num_bpages entries; filled here.
 * @num_cpus:   CPUs that may allocate.
 * @cpus:       array of @num_cpus entries; initialised here.
 */
void homa_pool_init(struct homa_pool *pool, u32 num_bpages, u32 *refs,
		    u32 *free, u32 num_cpus, struct homa_pool_cpu *cpus)
{
	u32 i;

	num_bpages = min(num_bpages, HOMA_POOL_MAX_BPAGES);
	pool->num_bpages = num_bpages;
	pool->refs = refs;
	pool->free = free;
	pool->num_cpus = num_cpus;
	pool->cpus = cpus;

	/* The top of the stack is popped first: hand out low pages first,
	 * which keeps a lightly used region compact.
	 */
	for (i = 0; i < num_bpages; i++) {
		refs[i] = 0;
		free[i] = num_bpages - 1 - i;
	}
	pool->num_free = num_bpages;

	for (i = 0; i < num_cpus; i++) {
		cpus[i].page = HOMA_POOL_NO_PAGE;
		cpus[i].used = 0;
		cpus[i].lease_end = 0;
	}
}

/* Take a bpage off the free stack; the caller has checked that one is
 * there.
 */
static u32 homa_pool_pop(struct homa_pool *pool)
{
	return pool->free[--pool->num_free];
}

/* Drop one reference to @page; the last one makes it free again. */
static void homa_pool_put(struct homa_pool *pool, u32 page)
{
	if (--pool->refs[page] == 0)
		pool->free[pool->num_free++] = page;
}

/* Make CPU @c give up its partly used bpage. */
static void homa_pool_disown(struct homa_pool *pool, struct homa_pool_cpu *c)
{
	homa_pool_put(pool, c->page);
	c->page = HOMA_POOL_NO_PAGE;
	c->used = 0;
}

/* Offset in a bpage at which a chunk placed after @used bytes starts. */
static u32 homa_pool_align(u32 used)
{
	return (used + HOMA_POOL_CHUNK_ALIGN - 1) &
	       ~(u32)(HOMA_POOL_CHUNK_ALIGN - 1);
}

/**
 * homa_pool_alloc() - Choose where an incoming message goes.
 * @pool:    state of the region.
 * @length:  bytes in the message, 1..HOMA_MAX_MESSAGE_LENGTH.
 * @cpu:     CPU allocating (below @pool->num_cpus); the message's tail
 *           goes in this CPU's partly used bpage.
 * @now:     current time, in any unit that @lease shares.
 * @lease:   how long, in the same unit, this CPU keeps its partly used
 *           bpage against reclaim by others after this allocation.
 * @offsets: receives the byte offset in the region of each chunk, in
 *           message order; room for HOMA_MAX_BPAGES entries.
 *
 * When free bpages run short, the partly used bpages of other CPUs whose
 * lease has expired are taken back first: a CPU that stopped receiving
 * must not pin memory forever. That reclaim is the only change made when
 * the allocation still fails.
 *
 * Return: number of chunks (ceil(@length / HOMA_BPAGE_SIZE)), -EINVAL
 * for a bad @length or @cpu, or -ENOMEM if the region has no room now
 * (retry once the application gives bpages back).
 */
int homa_pool_alloc(struct homa_pool *pool, u32 length, u32 cpu, u64 now,
		    u64 lease, u32 *offsets)
{
	u32 full = length >> HOMA_BPAGE_SHIFT;
	u32 tail = length & (HOMA_BPAGE_SIZE - 1);
	struct homa_pool_cpu *c;
	u32 needed, own_free, i;
	bool new_page;

	if (length == 0 || length > HOMA_MAX_MESSAGE_LENGTH ||
	    cpu >= pool->num_cpus)
		return -EINVAL;
	c = &pool->cpus[cpu];

	/* A tail that does not fit this CPU's page needs a fresh page. The
	 * old page is given up, and if nothing else uses it, it becomes
	 * free in the process: count it as available.
	 */
	new_page = tail && (c->page == HOMA_POOL_NO_PAGE ||
			    homa_pool_align(c->used) + tail > HOMA_BPAGE_SIZE);
	needed = full + new_page;
	own_free = new_page && c->page != HOMA_POOL_NO_PAGE &&
		   pool->refs[c->page] == 1;

	for (i = 0; i < pool->num_cpus && pool->num_free + own_free < needed;
	     i++) {
		struct homa_pool_cpu *other = &pool->cpus[i];

		if (i != cpu && other->page != HOMA_POOL_NO_PAGE &&
		    other->lease_end < now)
			homa_pool_disown(pool, other);
	}
	if (pool->num_free + own_free < needed)
		return -ENOMEM;

	if (new_page && c->page != HOMA_POOL_NO_PAGE)
		homa_pool_disown(pool, c);
	for (i = 0; i < full; i++) {
		u32 page = homa_pool_pop(pool);

		pool->refs[page] = 1;
		offsets[i] = page << HOMA_BPAGE_SHIFT;
	}
	if (!tail)
		return full;

	if (new_page) {
		c->page = homa_pool_pop(pool);
		pool->refs[c->page] = 1;
		c->used = 0;
	}
	c->used = homa_pool_align(c->used);
	offsets[full] = (c->page << HOMA_BPAGE_SHIFT) + c->used;
	c->used += tail;
	pool->refs[c->page]++;
	c->lease_end = now + lease;
	return full + 1;
}

/**
 * homa_pool_release() - Take back one chunk that the application is done
 * with.
 * @pool:   state of the region.
 * @offset: offset of the chunk in the region, as homa_pool_alloc() gave
 *          it.
 *
 * The offset comes from user space, so it is checked: a chunk given back
 * twice must not free a bpage that is still in use, which would hand the
 * same memory to two messages.
 *
 * Return: 0, or -EINVAL if @offset lies outside the region or in a bpage
 * with no chunk outstanding.
 */
int homa_pool_release(struct homa_pool *pool, u32 offset)
{
	u32 page = offset >> HOMA_BPAGE_SHIFT;
	u32 i;

	if (page >= pool->num_bpages || pool->refs[page] == 0)
		return -EINVAL;

	/* The last reference of a page that a CPU owns is the owner's
	 * own: no chunk is outstanding there.
	 */
	if (pool->refs[page] == 1) {
		for (i = 0; i < pool->num_cpus; i++) {
			if (pool->cpus[i].page == page)
				return -EINVAL;
		}
	}
	homa_pool_put(pool, page);
	return 0;
}

/* Chunks outstanding in @page: its references but a CPU's ownership. */
static u32 homa_pool_chunks(const struct homa_pool *pool, u32 page)
{
	u32 i;

	for (i = 0; i < pool->num_cpus; i++)
		if (pool->cpus[i].page == page)
			return pool->refs[page] - 1;
	return pool->refs[page];
}

/**
 * homa_pool_release_all() - Give back several chunks, all or none: a list
 * that names a bpage more often than it holds chunks (a chunk given back
 * twice) changes nothing.
 * @pool:    state of the region.
 * @num:     entries in @offsets.
 * @offsets: the chunks' offsets.
 *
 * Return: 0, or -EINVAL if the list is not valid as a whole.
 */
int homa_pool_release_all(struct homa_pool *pool, u32 num, const u32 *offsets)
{
	u32 i, j, page, uses;

	for (i = 0; i < num; i++) {
		page = offsets[i] >> HOMA_BPAGE_SHIFT;
		if (page >= pool->num_bpages)
			return -EINVAL;
		uses = 1;
		for (j = 0; j < i; j++)
			if (offsets[j] >> HOMA_BPAGE_SHIFT == page)
				uses++;
		if (homa_pool_chunks(pool, page) < uses)
			return -EINVAL;
	}
	for (i = 0; i < num; i++)
		homa_pool_put(pool, offsets[i] >> HOMA_BPAGE_SHIFT);
	return 0;
}

/**
 * homa_pool_avail_bytes() - Estimate the free space in the region, for
 * HOMAIOCINFO: free bpages plus the unused ends of the CPUs' partly used
 * bpages.
 * @pool: state of the region.
 *
 * Return: bytes available.
 */
u64 homa_pool_avail_bytes(const struct homa_pool *pool)
{
	u64 bytes = (u64)pool->num_free * HOMA_BPAGE_SIZE;
	u32 i;

	for (i = 0; i < pool->num_cpus; i++) {
		if (pool->cpus[i].page != HOMA_POOL_NO_PAGE)
			bytes += HOMA_BPAGE_SIZE - pool->cpus[i].used;
	}
	return bytes;
}
