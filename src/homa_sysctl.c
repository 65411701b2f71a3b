// SPDX-License-Identifier: GPL-2.0
/*
 * The net.homa sysctls: /proc/sys/net/homa/NAME for every tunable of a
 * namespace's struct homa_config (names, units and meanings: config.md;
 * defaults: homa_config_init()).
 *
 * Each namespace registers its own table, whose entries point at its own
 * struct homa_config, so a write changes that namespace only. Files are
 * mode 0644, derived values 0444. The net sysctl root
 * (net_ctl_permissions()) gives the owner's bits to a task with
 * CAP_NET_ADMIN in the namespace's user namespace and applies the plain
 * mode to everyone else: only network administrators can write.
 *
 * Ranges. A write with any value outside its range, or one that breaks a
 * rule below, fails with EINVAL and changes nothing. A write to a vector
 * sets as many leading entries as it gives values (like proc_dointvec).
 *
 *	name			min			max
 *	unsched_bytes		1			HOMA_MAX_MESSAGE_LENGTH
 *	window			0 (= dynamic)		HOMA_MAX_MESSAGE_LENGTH
 *	max_incoming		1			INT_MAX
 *	max_overcommit		1			HOMA_GRANT_MAX_OVERCOMMIT
 *	grant_fifo_fraction	0 (= no FIFO grants)	500
 *	fifo_grant_increment	1			HOMA_MAX_MESSAGE_LENGTH
 *	num_priorities		1			HOMA_MAX_PRIORITIES
 *	priority_map[8]		0			7
 *	unsched_cutoffs[8]	0			HOMA_MAX_MESSAGE_LENGTH
 *	max_sched_prio		read-only: homa_prio_max_sched()
 *	cutoff_version		read-only: 1 at start, never 0
 *	resend_ticks		1			HOMA_SYSCTL_MAX_TICKS
 *	resend_interval		1			HOMA_SYSCTL_MAX_TICKS
 *	timeout_ticks		1			HOMA_SYSCTL_MAX_TICKS
 *	request_ack_ticks	1			HOMA_SYSCTL_MAX_TICKS
 *	poll_usecs		0 (= no polling)	HOMA_SYSCTL_MAX_USECS
 *	bpage_lease_usecs	0 (= no lease)		HOMA_SYSCTL_MAX_USECS
 *	wmem_max		1			INT_MAX
 *	peer_gc_threshold	0			INT_MAX
 *	peer_idle_secs_min	0			HOMA_SYSCTL_MAX_SECS
 *	peer_idle_secs_max	0			HOMA_SYSCTL_MAX_SECS
 *	max_gso_size		0 (= no GSO)		HOMA_GSO_MAX_BYTES
 *	gso_force_software	0			1
 *	max_gro_skbs		0 (0, 1: no GRO)	HOMA_GRO_MAX_SKBS
 *	link_mbps		1			HOMA_SYSCTL_MAX_MBPS
 *	max_nic_est_backlog_usecs 0			HOMA_SYSCTL_MAX_USECS
 *	defer_min_bytes		0			HOMA_MAX_MESSAGE_LENGTH
 *	pacer_fifo_fraction	0 (= pure SRPT)		500
 *	flags			0			HOMA_FLAGS_VALID
 *
 * Rule: timeout_ticks > resend_ticks (an RPC is resent before it times
 * out). The zeros that would break a reader are excluded: num_priorities
 * 0 would index priority_map at -1, resend_interval 0 is a divisor,
 * wmem_max 0 would block every sendmsg for good. Byte counts past
 * HOMA_MAX_MESSAGE_LENGTH would act like it; INT_MAX is the limit of the
 * parser.
 *
 * Readers take no lock: the packet path, the timer and the system calls
 * read the fields directly. Each write stores whole, aligned u8/u16/u32
 * fields (WRITE_ONCE), so a reader sees an old or a new value of each
 * field, never a mix, and every value it can see is in range. Writes are
 * serialised by homa_sysctl_mutex, which also makes the check of a rule
 * between two fields and the store one step. A reader may see
 * timeout_ticks and resend_ticks from two successive writes; each pair
 * it can see still times out after resending, or at worst resends once
 * more or less, which is harmless.
 *
 * The cutoffs are the one place where a mix matters: a CUTOFFS packet
 * (homa_maybe_send_cutoffs()) copies the eight cutoffs and then the
 * version, and the peer keeps them until a DATA packet of its carries a
 * version other than ours. A copy labelled with our current version must
 * therefore be exactly our current cutoffs; a copy labelled with an older
 * version may be anything, since the peer's next DATA packet makes us
 * send the cutoffs again. So a write that changes the cutoffs or
 * num_priorities stores the new values and max_sched_prio first, waits
 * for an RCU grace period (synchronize_net()), and only then bumps
 * cutoff_version. Packet handlers run in RCU read-side critical sections
 * (softirq, under rcu_read_lock()); a handler that reads the new version
 * is still running after the grace period ended, so it began after the
 * grace period began, after the new cutoffs were stored, and it reads
 * them all. If another write has started storing newer cutoffs
 * meanwhile, the version it reads becomes outdated too, and the peer is
 * updated again. max_sched_prio is one byte; any value it may have, old
 * or new, is a valid level (transmission clamps levels to
 * num_priorities - 1).
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <linux/homa.h>
#include <net/net_namespace.h>

#include "homa_compat.h"
#include "homa_grant.h"
#include "homa_net.h"
#include "homa_offload.h"
#include "homa_prio.h"
#include "homa_sysctl.h"

/* Longest timer interval that can be configured: 1000 s of 1 ms ticks. */
#define HOMA_SYSCTL_MAX_TICKS 1000000

/* Fastest link that can be configured: 10 Tbit/s. */
#define HOMA_SYSCTL_MAX_MBPS 10000000

/* Longest idle time in seconds that can be configured: a day. */
#define HOMA_SYSCTL_MAX_SECS 86400

/* Longest time in microseconds that can be configured: 1 s. */
#define HOMA_SYSCTL_MAX_USECS 1000000

/* The most values a sysctl holds (the priority vectors). */
#define HOMA_SYSCTL_MAX_VALUES HOMA_MAX_PRIORITIES

/* Flags of a struct homa_sysctl_param. */
#define HOMA_SC_RO	BIT(0)	/* derived: read-only */
#define HOMA_SC_PRIO	BIT(1)	/* re-derive max_sched_prio, new version */
#define HOMA_SC_TICKS	BIT(2)	/* keep timeout_ticks > resend_ticks */

/**
 * struct homa_sysctl_param - How one sysctl maps onto struct homa_config.
 */
struct homa_sysctl_param {
	/** @name: file name under /proc/sys/net/homa. */
	const char *name;

	/** @offset: of the field in struct homa_config. */
	u16 offset;

	/** @size: bytes per value: 1, 2 or 4. */
	u8 size;

	/** @count: values (1, or the entries of a vector). */
	u8 count;

	/** @flags: HOMA_SC_*. */
	u8 flags;

	/** @min: smallest value accepted. */
	int min;

	/** @max: largest value accepted. */
	int max;
};

/* NAME is a field of struct homa_config: COUNT values of type TYPE. */
#define HOMA_SC(NAME, TYPE, COUNT, MIN, MAX, FLAGS) {			\
	.name = #NAME,							\
	.offset = offsetof(struct homa_config, NAME),			\
	.size = sizeof(TYPE),						\
	.count = (COUNT),						\
	.flags = (FLAGS),						\
	.min = (MIN),							\
	.max = (MAX),							\
}

#define HOMA_SC_U32(NAME, MIN, MAX) HOMA_SC(NAME, u32, 1, MIN, MAX, 0)

static const struct homa_sysctl_param homa_sysctl_params[] = {
	HOMA_SC_U32(unsched_bytes, 1, HOMA_MAX_MESSAGE_LENGTH),
	HOMA_SC_U32(window, 0, HOMA_MAX_MESSAGE_LENGTH),
	HOMA_SC_U32(max_incoming, 1, INT_MAX),
	HOMA_SC_U32(max_overcommit, 1, HOMA_GRANT_MAX_OVERCOMMIT),
	HOMA_SC_U32(grant_fifo_fraction, 0, 500),
	HOMA_SC_U32(fifo_grant_increment, 1, HOMA_MAX_MESSAGE_LENGTH),
	HOMA_SC(num_priorities, u32, 1, 1, HOMA_MAX_PRIORITIES, HOMA_SC_PRIO),
	HOMA_SC(priority_map, u8, HOMA_MAX_PRIORITIES, 0, 7, 0),
	HOMA_SC(unsched_cutoffs, u32, HOMA_MAX_PRIORITIES, 0,
		HOMA_MAX_MESSAGE_LENGTH, HOMA_SC_PRIO),
	HOMA_SC(max_sched_prio, u8, 1, 0, 0, HOMA_SC_RO),
	HOMA_SC(cutoff_version, u16, 1, 0, 0, HOMA_SC_RO),
	HOMA_SC(resend_ticks, u32, 1, 1, HOMA_SYSCTL_MAX_TICKS, HOMA_SC_TICKS),
	HOMA_SC_U32(resend_interval, 1, HOMA_SYSCTL_MAX_TICKS),
	HOMA_SC(timeout_ticks, u32, 1, 1, HOMA_SYSCTL_MAX_TICKS,
		HOMA_SC_TICKS),
	HOMA_SC_U32(request_ack_ticks, 1, HOMA_SYSCTL_MAX_TICKS),
	HOMA_SC_U32(poll_usecs, 0, HOMA_SYSCTL_MAX_USECS),
	HOMA_SC_U32(bpage_lease_usecs, 0, HOMA_SYSCTL_MAX_USECS),
	HOMA_SC_U32(wmem_max, 1, INT_MAX),
	HOMA_SC_U32(peer_gc_threshold, 0, INT_MAX),
	HOMA_SC_U32(peer_idle_secs_min, 0, HOMA_SYSCTL_MAX_SECS),
	HOMA_SC_U32(peer_idle_secs_max, 0, HOMA_SYSCTL_MAX_SECS),
	HOMA_SC_U32(max_gso_size, 0, HOMA_GSO_MAX_BYTES),
	HOMA_SC_U32(gso_force_software, 0, 1),
	HOMA_SC_U32(max_gro_skbs, 0, HOMA_GRO_MAX_SKBS),
	HOMA_SC_U32(link_mbps, 1, HOMA_SYSCTL_MAX_MBPS),
	HOMA_SC_U32(max_nic_est_backlog_usecs, 0, HOMA_SYSCTL_MAX_USECS),
	HOMA_SC_U32(defer_min_bytes, 0, HOMA_MAX_MESSAGE_LENGTH),
	HOMA_SC_U32(pacer_fifo_fraction, 0, 500),
	HOMA_SC_U32(flags, 0, HOMA_FLAGS_VALID),
};

#define HOMA_SYSCTL_COUNT ARRAY_SIZE(homa_sysctl_params)

/* Serialises writes (and reads, for a consistent view of vectors). */
static DEFINE_MUTEX(homa_sysctl_mutex);

static void homa_sysctl_get(const struct homa_config *cfg,
			    const struct homa_sysctl_param *p, int *vals)
{
	const void *field = (const char *)cfg + p->offset;
	unsigned int i;

	for (i = 0; i < p->count; i++) {
		switch (p->size) {
		case 1:
			vals[i] = READ_ONCE(((const u8 *)field)[i]);
			break;
		case 2:
			vals[i] = READ_ONCE(((const u16 *)field)[i]);
			break;
		default:
			vals[i] = READ_ONCE(((const u32 *)field)[i]);
			break;
		}
	}
}

static void homa_sysctl_set(struct homa_config *cfg,
			    const struct homa_sysctl_param *p, const int *vals)
{
	void *field = (char *)cfg + p->offset;
	unsigned int i;

	for (i = 0; i < p->count; i++) {
		switch (p->size) {
		case 1:
			WRITE_ONCE(((u8 *)field)[i], vals[i]);
			break;
		case 2:
			WRITE_ONCE(((u16 *)field)[i], vals[i]);
			break;
		default:
			WRITE_ONCE(((u32 *)field)[i], vals[i]);
			break;
		}
	}
}

/* Rules between fields, for a write of @vals to @p. */
static int homa_sysctl_check(const struct homa_config *cfg,
			     const struct homa_sysctl_param *p, const int *vals)
{
	u32 resend = cfg->resend_ticks, timeout = cfg->timeout_ticks;

	if (!(p->flags & HOMA_SC_TICKS))
		return 0;
	if (p->offset == offsetof(struct homa_config, resend_ticks))
		resend = vals[0];
	else
		timeout = vals[0];
	return timeout > resend ? 0 : -EINVAL;
}

/*
 * The cutoffs or num_priorities changed (and are stored): derive
 * max_sched_prio, then publish a new cutoff_version once no packet
 * handler can still hold old values (see the comment at the top).
 * The caller holds homa_sysctl_mutex.
 */
static void homa_sysctl_prios_changed(struct homa_config *cfg)
{
	u16 version;

	WRITE_ONCE(cfg->max_sched_prio,
		   homa_prio_max_sched(cfg->unsched_cutoffs,
				       cfg->num_priorities));
	synchronize_net();
	/* 0 is what peers assume before they hear from us: never use it. */
	version = cfg->cutoff_version + 1;
	if (version == 0)
		version = 1;
	WRITE_ONCE(cfg->cutoff_version, version);
}

/*
 * The handler of every net.homa sysctl: @table->data is the namespace's
 * struct homa_config, @table->extra1 the struct homa_sysctl_param. Values
 * go through an int vector so that proc_dointvec_minmax() parses, checks
 * and prints them; nothing is stored unless all of them are valid.
 */
static int homa_sysctl_handler(HOMA_CTL_TABLE_CONST struct ctl_table *table,
			       int write, void *buffer, size_t *lenp,
			       loff_t *ppos)
{
	const struct homa_sysctl_param *p = table->extra1;
	struct homa_config *cfg = table->data;
	int vals[HOMA_SYSCTL_MAX_VALUES], old[HOMA_SYSCTL_MAX_VALUES];
	int min = p->min, max = p->max;
	struct ctl_table tmp = {
		.procname = table->procname,
		.data = vals,
		.maxlen = p->count * sizeof(int),
		.mode = table->mode,
		.extra1 = &min,
		.extra2 = &max,
	};
	int err;

	if (write && (p->flags & HOMA_SC_RO))
		return -EPERM;
	mutex_lock(&homa_sysctl_mutex);
	homa_sysctl_get(cfg, p, vals);
	if (!write) {
		err = proc_dointvec(&tmp, 0, buffer, lenp, ppos);
		goto out;
	}
	memcpy(old, vals, p->count * sizeof(int));
	err = proc_dointvec_minmax(&tmp, 1, buffer, lenp, ppos);
	if (err)
		goto out;
	err = homa_sysctl_check(cfg, p, vals);
	if (err || !memcmp(old, vals, p->count * sizeof(int)))
		goto out;
	homa_sysctl_set(cfg, p, vals);
	if (p->flags & HOMA_SC_PRIO)
		homa_sysctl_prios_changed(cfg);
out:
	mutex_unlock(&homa_sysctl_mutex);
	return err;
}

/**
 * homa_sysctl_net_init() - Create /proc/sys/net/homa for a namespace,
 * over its struct homa_config.
 * @hn: the namespace's Homa state; hn->cfg is initialised.
 *
 * Return: 0 or -ENOMEM.
 */
int homa_sysctl_net_init(struct homa_net *hn)
{
	struct ctl_table *table;
	unsigned int i;

	/* The fields that are not single u32s, as homa_sysctl_params has them. */
	BUILD_BUG_ON(sizeof_field(struct homa_config, priority_map) !=
		     HOMA_MAX_PRIORITIES * sizeof(u8));
	BUILD_BUG_ON(sizeof_field(struct homa_config, unsched_cutoffs) !=
		     HOMA_MAX_PRIORITIES * sizeof(u32));
	BUILD_BUG_ON(sizeof_field(struct homa_config, max_sched_prio) !=
		     sizeof(u8));
	BUILD_BUG_ON(sizeof_field(struct homa_config, cutoff_version) !=
		     sizeof(u16));

	/* One more, zeroed: kernels before 6.6 find the end by it. */
	table = kcalloc(HOMA_SYSCTL_COUNT + 1, sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < HOMA_SYSCTL_COUNT; i++) {
		const struct homa_sysctl_param *p = &homa_sysctl_params[i];

		table[i].procname = p->name;
		table[i].data = &hn->cfg;
		table[i].maxlen = p->count * p->size;
		table[i].mode = p->flags & HOMA_SC_RO ? 0444 : 0644;
		table[i].proc_handler = homa_sysctl_handler;
		table[i].extra1 = (void *)p;
	}
	hn->sysctl = homa_register_net_sysctl(hn->net, "net/homa", table,
					      HOMA_SYSCTL_COUNT);
	if (!hn->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

/**
 * homa_sysctl_net_exit() - Remove a namespace's /proc/sys/net/homa; on
 * return no handler runs any more.
 * @hn: the namespace's Homa state.
 */
void homa_sysctl_net_exit(struct homa_net *hn)
{
	const struct ctl_table *table = hn->sysctl->ctl_table_arg;

	unregister_net_sysctl_table(hn->sysctl);
	hn->sysctl = NULL;
	kfree(table);
}
