/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the text of /proc/net/homa_metrics (and of homa_metrics(1)'s
 * state files): lines "name value comment".
 */
#ifndef _HOMA_METRICS_TEXT_H
#define _HOMA_METRICS_TEXT_H

#include <stdint.h>

int homa_parse_u64(const char *s, uint64_t *value);
int homa_metrics_split(char *line, char **name, uint64_t *value,
		       char **comment);

#endif /* _HOMA_METRICS_TEXT_H */
