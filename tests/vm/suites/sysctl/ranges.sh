#!/bin/sh
# Writes to the net.homa sysctls (as root, in the initial namespace):
# values out of range fail with EINVAL and change nothing, also when only
# one value of a vector is bad; values in range stick, both ends of each
# range; timeout_ticks must stay above resend_ticks; max_sched_prio and
# cutoff_version cannot be written; changing unsched_cutoffs or
# num_priorities re-derives max_sched_prio and bumps cutoff_version.
set -eu
. "$TESTBED/netns.sh"

D=/proc/sys/net/homa

get() {
	tr -s '\t ' '  ' <"$D/$1"
}

# good NAME VALUE: the write succeeds and reads back as VALUE.
good() {
	( printf '%s\n' "$2" >"$D/$1" ) 2>err || die "write '$2' to $1: $(cat err)"
	got=$(get "$1")
	[ "$got" = "$2" ] || die "wrote '$2' to $1, read back '$got'"
}

# bad NAME VALUE [ERROR]: the write fails with ERROR (default: Invalid
# argument) and the value stays what it was.
bad() {
	before=$(get "$1")
	! ( printf '%s\n' "$2" >"$D/$1" ) 2>err || die "write '$2' to $1 succeeded"
	grep -q "${3:-Invalid argument}" err ||
		die "write '$2' to $1: expected '${3:-Invalid argument}', got: $(cat err)"
	got=$(get "$1")
	[ "$got" = "$before" ] ||
		die "failed write '$2' to $1 changed it from '$before' to '$got'"
}

# range NAME MIN MAX: MIN and MAX are accepted, MIN-1 and MAX+1 are not.
range() {
	bad "$1" $(($2 - 1))
	bad "$1" $(($3 + 1))
	good "$1" "$3"
	good "$1" "$2"
	echo "ok: $1 accepts $2..$3"
}

modprobe homa

range unsched_bytes 1 1000000
range window 0 1000000
range max_incoming 1 2147483647
range max_overcommit 1 8
range grant_fifo_fraction 0 500
range fifo_grant_increment 1 1000000
range resend_interval 1 1000000
range request_ack_ticks 1 1000000
range poll_usecs 0 1000000
range bpage_lease_usecs 0 1000000
range wmem_max 1 2147483647
range peer_gc_threshold 0 2147483647
range peer_idle_secs_min 0 86400
range peer_idle_secs_max 0 86400
range max_gso_size 0 65536
range gso_force_software 0 1
range max_gro_skbs 0 64
range link_mbps 1 10000000
range max_nic_est_backlog_usecs 0 1000000
range defer_min_bytes 0 1000000
range pacer_fifo_fraction 0 500
range flags 0 7
# Not numbers, or too large for any field.
bad unsched_bytes abc
bad unsched_bytes 4294967296
bad unsched_bytes ''
good unsched_bytes 40000

# timeout_ticks > resend_ticks >= 1, both at most 1000000.
good resend_ticks 5
good timeout_ticks 100
bad resend_ticks 0
bad resend_ticks 100
bad resend_ticks 1000001
good resend_ticks 99
bad timeout_ticks 99
bad timeout_ticks 1000001
good timeout_ticks 1000000
good resend_ticks 999999
good resend_ticks 1
good timeout_ticks 2
bad timeout_ticks 1
echo "ok: timeout_ticks stays above resend_ticks"

# Vectors: every entry is checked before any is stored.
bad priority_map '0 1 2 3 4 5 6 8'
bad priority_map '7 6 5 -1'
good priority_map '7 6 5 4 3 2 1 0'
# A shorter list sets the leading entries only.
printf '0 1\n' >"$D/priority_map"
got=$(get priority_map)
[ "$got" = '0 1 5 4 3 2 1 0' ] || die "priority_map after '0 1': '$got'"
good priority_map '0 1 2 3 4 5 6 7'
echo "ok: priority_map"

# Cutoffs: the derived values follow. Defaults: level 4 takes every
# length, so levels 0..3 are scheduled.
[ "$(get max_sched_prio)" = 3 ] || die "default max_sched_prio $(get max_sched_prio)"
[ "$(get cutoff_version)" = 1 ] || die "default cutoff_version $(get cutoff_version)"
bad max_sched_prio 2 'Permission denied'
bad cutoff_version 7 'Permission denied'
bad unsched_cutoffs '0 0 0 0 0 0 1000001 100'
bad unsched_cutoffs '0 0 0 0 0 0 0 -1'
[ "$(get cutoff_version)" = 1 ] || die "a failed write bumped cutoff_version"
good unsched_cutoffs '0 0 0 0 0 0 1000000 100'
[ "$(get max_sched_prio)" = 5 ] || die "max_sched_prio $(get max_sched_prio), expected 5"
[ "$(get cutoff_version)" = 2 ] || die "cutoff_version $(get cutoff_version), expected 2"
# The same values again change nothing.
good unsched_cutoffs '0 0 0 0 0 0 1000000 100'
[ "$(get cutoff_version)" = 2 ] || die "rewriting the same cutoffs bumped cutoff_version"
# No level takes every length: all levels may carry scheduled bytes.
good unsched_cutoffs '0 0 0 0 0 0 0 0'
[ "$(get max_sched_prio)" = 7 ] || die "max_sched_prio $(get max_sched_prio), expected 7"
[ "$(get cutoff_version)" = 3 ] || die "cutoff_version $(get cutoff_version), expected 3"
good unsched_cutoffs '0 0 0 0 1000000 15000 2800 200'
[ "$(get max_sched_prio)" = 3 ] || die "max_sched_prio $(get max_sched_prio), expected 3"
[ "$(get cutoff_version)" = 4 ] || die "cutoff_version $(get cutoff_version), expected 4"
echo "ok: unsched_cutoffs, max_sched_prio, cutoff_version"

# num_priorities: only levels below it count.
bad num_priorities 0
bad num_priorities 9
good num_priorities 4
[ "$(get max_sched_prio)" = 3 ] || die "max_sched_prio $(get max_sched_prio) with 4 levels, expected 3"
[ "$(get cutoff_version)" = 5 ] || die "cutoff_version $(get cutoff_version), expected 5"
good num_priorities 8
[ "$(get cutoff_version)" = 6 ] || die "cutoff_version $(get cutoff_version), expected 6"
good num_priorities 1
[ "$(get max_sched_prio)" = 0 ] || die "max_sched_prio $(get max_sched_prio) with 1 level, expected 0"
good num_priorities 8
echo "ok: num_priorities"
