// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for tools/lib/homa_metrics_text.c, the reader of lines of
 * /proc/net/homa_metrics that homa_metrics(1) and homa_cutoffs(1) share.
 */
#include <stdio.h>
#include <string.h>
#include "homa_user.h"
#include "homa_metrics_text.h"
#include "unit.h"

UNIT_TEST(homa_parse_u64__whole_text_only)
{
	uint64_t v = 7;

	EXPECT_EQ(0, homa_parse_u64("0", &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, homa_parse_u64("18446744073709551615", &v));
	EXPECT_TRUE(v == UINT64_MAX);
	EXPECT_EQ(-1, homa_parse_u64("18446744073709551616", &v));
	EXPECT_EQ(-1, homa_parse_u64("", &v));
	EXPECT_EQ(-1, homa_parse_u64("-1", &v));
	EXPECT_EQ(-1, homa_parse_u64("+1", &v));
	EXPECT_EQ(-1, homa_parse_u64(" 1", &v));
	EXPECT_EQ(-1, homa_parse_u64("1 ", &v));
	EXPECT_EQ(-1, homa_parse_u64("12x", &v));
}

UNIT_TEST(homa_metrics_split__lines)
{
	static const struct {
		const char *text, *name, *comment;
		uint64_t value;
	} lines[] = {
		{ "msg_bytes_64   1234  bytes in messages of 1-64 bytes\n",
		  "msg_bytes_64", "bytes in messages of 1-64 bytes", 1234 },
		/* A state file's line: no comment, and a CR. */
		{ "cpu1.rcv_ns 99\r\n", "cpu1.rcv_ns", "", 99 },
	};
	char line[128], *name, *comment;
	uint64_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		snprintf(line, sizeof(line), "%s", lines[i].text);
		EXPECT_EQ(0, homa_metrics_split(line, &name, &v, &comment));
		EXPECT_TRUE(strcmp(name, lines[i].name) == 0);
		EXPECT_TRUE(v == lines[i].value);
		EXPECT_TRUE(strcmp(comment, lines[i].comment) == 0);
	}
}

UNIT_TEST(homa_metrics_split__other_forms)
{
	char empty[] = "\n", alone[] = "name\n", word[] = "name value c\n";
	char negative[] = "name -3\n";
	char *name, *comment;
	uint64_t v;

	EXPECT_EQ(-1, homa_metrics_split(empty, &name, &v, &comment));
	EXPECT_EQ(-1, homa_metrics_split(alone, &name, &v, &comment));
	EXPECT_EQ(-1, homa_metrics_split(word, &name, &v, &comment));
	EXPECT_EQ(-1, homa_metrics_split(negative, &name, &v, &comment));
}
