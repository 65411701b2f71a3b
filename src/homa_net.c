// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: created with each namespace, destroyed
 * with it.
 */
#include "homa_net.h"
#include "homa_prio.h"
#include "homa_sysctl.h"
#include "homa_timer.h"

unsigned int homa_net_id;

/* Defaults of the tunables (the net.homa sysctls). */
static void homa_config_init(struct homa_config *cfg)
{
	static const u32 cutoffs[HOMA_MAX_PRIORITIES] = HOMA_DEFAULT_CUTOFFS;
	unsigned int i;

	cfg->unsched_bytes = 40000;
	cfg->window = 0;
	cfg->max_incoming = 400000;
	cfg->max_overcommit = HOMA_GRANT_MAX_OVERCOMMIT;
	cfg->grant_fifo_fraction = 50;
	cfg->fifo_grant_increment = 50000;
	cfg->num_priorities = HOMA_MAX_PRIORITIES;
	for (i = 0; i < HOMA_MAX_PRIORITIES; i++)
		cfg->priority_map[i] = i;
	memcpy(cfg->unsched_cutoffs, cutoffs, sizeof(cutoffs));
	cfg->max_sched_prio = homa_prio_max_sched(cutoffs,
						  cfg->num_priorities);
	cfg->cutoff_version = 1;
	cfg->resend_ticks = 5;
	cfg->resend_interval = 5;
	cfg->timeout_ticks = 100;
	cfg->request_ack_ticks = 2;
	cfg->poll_usecs = 50;
	cfg->bpage_lease_usecs = 10000;
	cfg->wmem_max = 100000000;
	cfg->peer_gc_threshold = 5000;
	cfg->peer_idle_secs_min = 10;
	cfg->peer_idle_secs_max = 120;
	cfg->max_gso_size = 0;
	cfg->gso_force_software = 0;
	cfg->max_gro_skbs = 20;
	cfg->link_mbps = 25000;
	cfg->max_nic_est_backlog_usecs = 5;
	cfg->defer_min_bytes = 1000;
	cfg->pacer_fifo_fraction = 50;
	cfg->flags = 0;
}

static int __net_init homa_net_init(struct net *net)
{
	struct homa_net *hn = homa_net(net);
	int err;

	hn->net = net;
	homa_config_init(&hn->cfg);
	homa_port_table_init(&hn->ports);
	homa_peer_table_init(&hn->peers);
	atomic64_set(&hn->next_client_id, 0);
	err = homa_grantor_init(&hn->grantor);
	if (err)
		return err;
	err = homa_metrics_net_init(hn);
	if (err)
		goto out_grantor;
	err = homa_pacer_init(hn);
	if (err)
		goto out_metrics;
	err = homa_sysctl_net_init(hn);
	if (err)
		goto out_pacer;
	homa_timer_add_net(hn);
	return 0;

out_pacer:
	homa_pacer_destroy(hn);
out_metrics:
	homa_metrics_net_exit(hn);
out_grantor:
	homa_grantor_destroy(&hn->grantor);
	return err;
}

static void __net_exit homa_net_exit(struct net *net)
{
	struct homa_net *hn = homa_net(net);

	homa_timer_remove_net(hn);
	homa_sysctl_net_exit(hn);
	homa_pacer_destroy(hn);
	homa_metrics_net_exit(hn);
	homa_grantor_destroy(&hn->grantor);
	homa_peer_table_destroy(&hn->peers);
	homa_port_table_destroy(&hn->ports);
}

static struct pernet_operations homa_net_ops = {
	.init = homa_net_init,
	.exit = homa_net_exit,
	.id = &homa_net_id,
	.size = sizeof(struct homa_net),
};

int homa_net_register(void)
{
	return register_pernet_subsys(&homa_net_ops);
}

void homa_net_unregister(void)
{
	unregister_pernet_subsys(&homa_net_ops);
}
