// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the text of /proc/net/homa_metrics; see homa_metrics_text.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "homa_metrics_text.h"

/**
 * homa_parse_u64() - Parse an unsigned decimal that fills the whole of @s
 * (no sign, no blanks, nothing after it).
 * @s:     the text.
 * @value: the number.
 *
 * Return: 0, or -1 if @s is not such a number or does not fit 64 bits.
 */
int homa_parse_u64(const char *s, uint64_t *value)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*value = v;
	return 0;
}

/**
 * homa_metrics_split() - Split a line "name value comment" (the comment
 * may be missing, as in a state file).
 * @line:    the line, with or without its newline; modified.
 * @name:    points into @line.
 * @value:   the value.
 * @comment: points into @line ("" if there is none).
 *
 * Return: 0, or -1 if the line has another form.
 */
int homa_metrics_split(char *line, char **name, uint64_t *value,
		       char **comment)
{
	char *p, *num;

	line[strcspn(line, "\r\n")] = 0;
	p = line + strspn(line, " \t");
	*name = p;
	p += strcspn(p, " \t");
	if (p == *name || !*p)
		return -1;
	*p++ = 0;
	p += strspn(p, " \t");
	num = p;
	p += strcspn(p, " \t");
	if (*p)
		*p++ = 0;
	if (homa_parse_u64(num, value))
		return -1;
	*comment = p + strspn(p, " \t");
	return 0;
}
