/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The net.homa sysctls (/proc/sys/net/homa/NAME): one table per network
 * namespace over that namespace's struct homa_config.
 */
#ifndef _HOMA_SYSCTL_H
#define _HOMA_SYSCTL_H

struct homa_net;

int homa_sysctl_net_init(struct homa_net *hn);
void homa_sysctl_net_exit(struct homa_net *hn);

#endif /* _HOMA_SYSCTL_H */
