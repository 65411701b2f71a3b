/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Segmentation offload for Homa: software GSO for devices and qdiscs that
 * cannot pass a multi-segment DATA packet on whole.
 */
#ifndef _HOMA_OFFLOAD_H
#define _HOMA_OFFLOAD_H

int homa_offload_init(void);
void homa_offload_end(void);

#endif /* _HOMA_OFFLOAD_H */
