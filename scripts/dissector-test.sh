#!/bin/bash
# Test the Wireshark dissector tools/wireshark/homa.lua with tshark:
#   1. on hand-made pcap files (no VM): every packet type decodes, every
#      truncated header of every type is flagged as malformed, capture
#      cuts and odd values are noted, and never a Lua error;
#   2. on real captures: for each kernel of scripts/kernels.sh (one VM
#      run after the other), the VM suite tests/vm/suites/capture records
#      Homa traffic over IPv4 and IPv6 (with CAPTURE_DUMP=1 it prints the
#      pcap, which is extracted here); tshark decodes it, and the decoded
#      fields must match the traffic: every type in both families, the
#      ports and sizes used, DATA offsets covering each message, GRANT
#      offsets rising to the message length, ACK ids naming earlier
#      requests, BUSY answering RESEND, the hosts' cutoffs, the injected
#      packets, and no expert info on any real packet.
# One line "ok N NAME" or "not ok N NAME" per check, then "N passed, N
# failed". Files: build/dissector/ (the pcaps, tshark's output, VM logs).
# Usage: scripts/dissector-test.sh [-k KVER]   (-k: that kernel only)
set -eu
cd "$(dirname "$0")/.."

lua=tools/wireshark/homa.lua
out=build/dissector
# The ids of the packets tests/vm/suites/capture/wire.sh injects.
INJECT_BASE=1000000

kernels=
if [ "${1:-}" = -k ] && [ -n "${2:-}" ]; then
	kernels=$2
fi

. scripts/lib.sh

# check STATUS NAME [DETAIL...]: result, then the DETAIL lines as
# comments whatever the status (they say what was seen).
check() {
	result "$1" "$2"
	shift 2
	for line in "$@"; do
		[ -n "$line" ] && printf '# %s\n' "$line"
	done
	return 0
}

# tshark with the dissector; its "running as root" notice is dropped.
tshark_homa() {
	local rc=0
	tshark -X "lua_script:$lua" "$@" 2>"$out/stderr" || rc=$?
	grep -v 'Running as user' "$out/stderr" >&2 || true
	return $rc
}

if ! command -v tshark >/dev/null; then
	check 1 "tshark installed" "run scripts/setup.sh"
	finish
fi
mkdir -p "$out"

# --- the dissector loads and declares its fields -------------------------

# (-G must come first, before the script.)
tshark -G fields -X "lua_script:$lua" >"$out/fields.txt" 2>"$out/load.err" ||
	true
sed -i '/Running as user/d' "$out/load.err"
missing=
for f in homa.sport homa.dport homa.type homa.sender_id homa.doff \
	homa.data.message_length homa.data.incoming homa.data.ack.client_id \
	homa.data.ack.server_port homa.data.cutoff_version \
	homa.data.retransmit homa.data.offset homa.data.payload_length \
	homa.data.seg.offset homa.data.seg.length homa.grant.offset \
	homa.grant.priority homa.resend.offset homa.resend.length \
	homa.resend.priority homa.cutoffs.cutoff homa.cutoffs.version \
	homa.ack.num_acks homa.ack.client_id homa.ack.server_port; do
	grep -q "	$f	" "$out/fields.txt" || missing="$missing $f"
done
if [ -s "$out/load.err" ] || [ -n "$missing" ]; then
	check 1 "dissector loads, fields declared" \
		"$(head -n 5 "$out/load.err")" "missing:$missing"
else
	check 0 "dissector loads, fields declared"
fi

# --- hand-made packets ---------------------------------------------------

# Hex of little-endian 32-bit $1.
le32() {
	printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

# common TYPE DOFF ID [SPORT]: a Homa common header in hex.
common() {
	printf '%04x0fa000000000000000%02x%02x00000000000000%016x' \
		"${4:-8000}" "$1" "$2" "$3"
}

# data_fields LENGTH INCOMING: the DATA fields after the common header
# up to seg.offset: no ack, cutoff version 1, not a retransmission.
data_fields() {
	printf '%08x%08x%016x%04x%04x%02x%06x' "$1" "$2" 0 0 1 0 0
}

# The full header of each type (DATA with 100 bytes of data).
declare -A full
full[DATA]="$(common 0x10 0xe0 2)$(data_fields 100 100)00000000"
full[DATA]+=$(printf '%0200x' 0)
full[GRANT]="$(common 0x11 0x50 3)$(printf '%08x%02x' 40960 3)"
full[RESEND]="$(common 0x12 0x50 2)$(printf '%08x%08x%02x' 0 4294967295 7)"
full[RPC_UNKNOWN]=$(common 0x13 0x50 3)
full[BUSY]=$(common 0x14 0x50 3)
full[CUTOFFS]="$(common 0x15 0x50 0)$(printf '%08x' 0 0 0 0 1000000 \
	15000 2800 200)0001"
full[FREEZE]=$(common 0x16 0x50 2)
full[NEED_ACK]=$(common 0x17 0x50 3)
full[ACK]="$(common 0x18 0x50 2)0002$(printf '%016x%04x' 4 4000 6 4000)"
full[ACK]+=$(printf '%060x' 0)
declare -A hlen=([DATA]=56 [GRANT]=33 [RESEND]=37 [RPC_UNKNOWN]=28
	[BUSY]=28 [CUTOFFS]=62 [FREEZE]=28 [NEED_ACK]=28 [ACK]=80)
types="DATA GRANT RESEND RPC_UNKNOWN BUSY CUTOFFS FREEZE NEED_ACK ACK"

# record HOMA_HEX [CAPLEN]: a pcap record of an IPv4 packet carrying
# HOMA_HEX, cut to CAPLEN bytes of the IP packet if given.
record() {
	local len=$((20 + ${#1} / 2)) pkt
	# IPv4, no options, protocol 146, 10.0.0.1 -> 10.0.0.2.
	pkt="4500$(printf '%04x' $len)00010000"
	pkt+="409200000a0000010a000002$1"
	local cap=${2:-$len}
	echo "00000000$(le32 $((n_rec += 1)))$(le32 "$cap")$(le32 $len)"
	echo "${pkt:0:$((cap * 2))}"
}

# write_pcap FILE: the records on stdin, in hex, to a pcap file.
write_pcap() {
	local hex
	hex="d4c3b2a1020004000000000000000000ffff000065000000"
	hex+=$(tr -d '\n')
	# shellcheck disable=SC2001,SC2059 # hex pairs become \xNN escapes
	printf "$(sed 's/../\\x&/g' <<<"$hex")" >"$1"
}

# fields FILE: tshark's fields of the checks below, one frame a line.
fields() {
	tshark_homa -r "$1" -T fields -E separator='|' -e frame.number \
		-e homa.type -e homa.sender_id -e _ws.expert.message \
		-e _ws.malformed -e _ws.col.Info
}

n_rec=0
{
	for t in $types; do
		record "${full[$t]}"
	done
} | write_pcap "$out/full.pcap"
fields "$out/full.pcap" >"$out/full.txt" 2>"$out/full.err" || true
bad=$(awk -F'|' '$2 == "" || $4 != "" || $5 != ""' "$out/full.txt")
got=$(cut -d'|' -f6 "$out/full.txt" | awk '{ print $1 }' | tr '\n' ' ')
if [ -z "$bad" ] && [ ! -s "$out/full.err" ] && [ "$got" = "$types " ]; then
	check 0 "hand-made: the 9 types decode without expert info"
else
	check 1 "hand-made: the 9 types decode without expert info" \
		"types: $got" "$bad" "$(head -n 3 "$out/full.err")"
fi

# Every header cut short, at every length from 1 byte to one byte short.
n_rec=0
expected=0
{
	for t in $types; do
		for ((len = 1; len < ${hlen[$t]}; len++)); do
			record "${full[$t]:0:$((len * 2))}"
		done
	done
} | write_pcap "$out/short.pcap"
for t in $types; do
	expected=$((expected + ${hlen[$t]} - 1))
done
fields "$out/short.pcap" >"$out/short.txt" 2>"$out/short.err" || true
bad=$(awk -F'|' '$5 == "" || $4 !~ /bytes: the ([A-Z_]+|common) header has/ ||
	$4 ~ /Lua/' "$out/short.txt" | head -n 3)
lines=$(wc -l <"$out/short.txt")
if [ -z "$bad" ] && [ ! -s "$out/short.err" ] &&
	[ "$lines" = "$expected" ]; then
	check 0 "hand-made: $expected truncated headers flagged malformed"
else
	check 1 "hand-made: $expected truncated headers flagged malformed" \
		"$lines frames decoded" "$bad" "$(head -n 3 "$out/short.err")"
fi

# Capture cuts (snapshot length) anywhere in a DATA packet; odd values.
n_rec=0
{
	for cap in 21 30 47 48 60 75 76 77 100 150; do
		record "${full[DATA]}" "$cap"
	done
	# 3 segments of 20 bytes whose third says 41 instead of 40.
	gso="$(common 0x10 0xd0 4)$(data_fields 60 60)"
	for off in 00000000 00000014 00000029; do
		gso+="$off$(printf '%040x' 7)"
	done
	record "$gso"
	record "${full[ACK]:0:56}0009${full[ACK]:60}"
	record "$(common 0x11 0x50 3 0)0000a00003"
	record "${full[DATA]:0:56}00000000${full[DATA]:64}"
	record "$(common 0x14 0x60 3)"
	record "${full[GRANT]}0000"
} | write_pcap "$out/odd.pcap"
fields "$out/odd.pcap" >"$out/odd.txt" 2>"$out/odd.err" || true
bad=$(awk -F'|' '$4 ~ /Lua/ || ($1 <= 10 && $5 != "") ||
	($1 <= 10 && $4 != "" && $4 !~ /^Capture ends at byte/)' \
	"$out/odd.txt")
want=("Segment 3 starts at 41, not at 40" "9 acks claimed"
	"Port 0" "Message length 0" "Control packets have data offset 5"
	"2 bytes after the 33-byte GRANT")
for ((i = 0; i < ${#want[@]}; i++)); do
	line=$(sed -n "$((11 + i))p" "$out/odd.txt")
	case $line in
	*"${want[i]}"*) ;;
	*) bad="$bad"$'\n'"frame $((11 + i)): want '${want[i]}': $line" ;;
	esac
done
if [ -z "$bad" ] && [ ! -s "$out/odd.err" ]; then
	check 0 "hand-made: capture cuts and odd values noted, no Lua error"
else
	check 1 "hand-made: capture cuts and odd values noted, no Lua error" \
		"$bad" "$(head -n 3 "$out/odd.err")"
fi

# --- real captures from the VM -------------------------------------------

# The awk program that checks a capture's decoded fields (see FIELDS);
# it prints "PASS NAME" or "FAIL NAME: DETAIL" per check.
FIELDS="frame.number ip.src ipv6.src ip.dst ipv6.dst ip.len ipv6.plen
homa.sport homa.dport homa.type homa.sender_id homa.sequence
homa.data.message_length homa.data.incoming homa.data.ack.client_id
homa.data.ack.server_port homa.data.cutoff_version homa.data.retransmit
homa.data.offset homa.data.payload_length homa.data.segments
homa.data.seg.offset homa.data.seg.length homa.grant.offset
homa.grant.priority homa.resend.offset homa.resend.length
homa.resend.priority homa.cutoffs.cutoff homa.cutoffs.version
homa.ack.num_acks homa.ack.client_id homa.ack.server_port
_ws.expert.message _ws.malformed _ws.col.Info"
read -r -d '' CHECK_AWK <<'EOF' || true
function fail(check, msg) {
	if (nfail[check]++ < 3)
		detail[check] = detail[check] \
				(detail[check] == "" ? "" : "; ") msg
}
# A failed check about the current frame.
function bad(check, msg) { fail(check, "frame " frame ": " msg) }
function peer_id(id) { return id % 2 == 0 ? id + 1 : id - 1 }
function host(addr) { return addr ~ /(^10\.0\.0\.1$|^fd00::1$)/ ? "h1" : "h2" }
BEGIN {
	FS = "|"
	split("DATA GRANT RESEND RPC_UNKNOWN BUSY CUTOFFS FREEZE NEED_ACK ACK",
	      tn, " ")
	for (i = 1; i <= 9; i++)
		name[sprintf("0x%02x", 15 + i)] = tn[i]
	nchecks = split("decoded no-expert types-ipv4 types-ipv6 data grant" \
			" ack resend-busy cutoffs injected info", checks, " ")
	title["decoded"] = "every packet decodes as Homa"
	title["no-expert"] = "no expert info (malformed, Lua error)" \
			     " on real packets"
	title["types-ipv4"] = "all 9 types over IPv4"
	title["types-ipv6"] = "all 9 types over IPv6"
	title["data"] = "DATA ports, lengths, offsets, messages complete"
	title["grant"] = "GRANT offsets rise to the message length"
	title["ack"] = "ACK, NEED_ACK, piggy-backed ack ids name requests"
	title["resend-busy"] = "RESEND of all, BUSY answering it"
	title["cutoffs"] = "CUTOFFS carry the hosts' cutoffs, DATA use them"
	title["injected"] = "injected packets: RPC_UNKNOWN reply, GSO," \
			    " -1 offset, malformed"
	title["info"] = "Info column: TYPE id=N off=N len=N ..."
}
{
	frame = $1; fam = $2 != "" ? 4 : 6
	src = fam == 4 ? $2 : $3; dst = fam == 4 ? $4 : $5
	homa_len = fam == 4 ? $6 - 20 : $7
	sport = $8 + 0; dport = $9 + 0; type = name[$10]; id = $11 + 0
	injected = id >= base
	info = $36
	if ($34 ~ /Lua/)
		bad("no-expert", $34)
	else if (!injected && ($34 != "" || $35 != ""))
		bad("no-expert", $34)
	if (type == "" && id != base + 10) {
		fail("decoded", "frame " frame " type '" $10 "'")
		next
	}
	seen[fam, type]++
	if (injected) {
		inj[id] = $0
		next
	}
	if (info !~ ("^" type " id=" id "[ ,]") ||
	    info !~ (", " sport " → " dport "$"))
		bad("info", info)

	if (type == "DATA") {
		off = $19 + 0; len = $20 + 0; msg = $13 + 0
		key = fam SUBSEP src SUBSEP sport SUBSEP id
		max = 1500 - (fam == 4 ? 20 : 40) - 56
		if (id % 2 == 0) {
			reqport[fam, src, id] = dport
			if ((dport != 4000 && dport != 4001) || sport < 32768)
				bad("data", "request ports " sport "->" dport)
		} else if ((sport != 4000 && sport != 4001) || dport < 32768)
			bad("data", "response ports " sport "->" dport)
		# One segment, or several (GSO) that follow on.
		nseg = split($22, so, ",")
		split($23, sl, ",")
		if (off != $12 + 0 || nseg != $21 + 0 || nseg < 1)
			bad("data", "offset " off " sequence " $12 \
			     " segments " $21 " at " $22)
		pos = off
		for (i = 1; i <= nseg; i++) {
			if (so[i] + 0 != pos || sl[i] + 0 <= 0 || sl[i] + 0 > max)
				bad("data", "segment " i " at " so[i] \
				     " of " sl[i] " bytes, expected at " pos)
			piece[key, pos] = sl[i] + 0
			pos += sl[i]
		}
		if (len != pos - off || len != homa_len - 52 - 4 * nseg)
			bad("data", "payload " len " of " homa_len)
		if (off + len > msg || off + len > $14 + 0 || $14 + 0 > msg)
			bad("data", "bytes " off "+" len \
			     " incoming " $14 " message " msg)
		if ((key in msglen) && msglen[key] != msg)
			bad("data", "message length changed")
		if (!(key in msglen)) {
			if (id % 2 == 0 && dport == 4000)
				sizes[fam] = sizes[fam] " " msg
			msglen[key] = msg
			unsched[key] = $14 + 0
			first[key] = frame
			nmsg++
		}
		if (info !~ ("^DATA id=" id " off=" off " len=" len " msg=" msg))
			bad("info", info)
		if ($15 != 0) {
			piggy[fam]++
			if (reqport[fam, src, $15 + 0] != $16 + 0)
				bad("ack", "piggy-backed ack " $15 \
				     " port " $16 " names no request")
		}
		# Cutoff versions: the receiver's, once it sent its CUTOFFS.
		cv = fam SUBSEP dst SUBSEP src
		if ((cv in cut_frame) && first[key] > cut_frame[cv] &&
		    $17 != cut_ver[cv])
			bad("cutoffs", "cutoff version " $17 \
			     ", announced " cut_ver[cv])
		last_ver[fam, src, dst] = $17
	} else if (type == "GRANT") {
		key = fam SUBSEP dst SUBSEP dport SUBSEP peer_id(id)
		ngrant[fam]++
		if (!(key in msglen))
			bad("grant", "grant for unknown message")
		else if ($24 + 0 > msglen[key] || $24 + 0 < granted[key] ||
			 $25 + 0 > 7)
			bad("grant", "offset " $24 " after " \
			     granted[key] " message " msglen[key] " prio " $25)
		granted[key] = $24 + 0
		if (info !~ ("^GRANT id=" id " off=" $24 " prio=" $25 ","))
			bad("info", info)
	} else if (type == "RESEND") {
		if (reqport[fam, src, id] != dport || $28 != 7)
			bad("resend-busy", "RESEND " id " to " dport)
		resent[fam, src, id] = 1
		if ($27 == -1) {
			resend_all[fam]++
			if (info !~ /off=0 len=all prio=7/)
				bad("info", info)
		}
	} else if (type == "BUSY") {
		if (id % 2 == 1 && !((fam, dst, id - 1) in resent))
			bad("resend-busy", "BUSY " id " answers no RESEND")
		if (id % 2 == 0 && reqport[fam, src, id] != dport)
			bad("resend-busy", "BUSY " id " names no request")
		nbusy[fam]++
	} else if (type == "NEED_ACK") {
		if (id % 2 != 1 || reqport[fam, dst, id - 1] != sport)
			bad("ack", "NEED_ACK " id " names no request")
		need_ack[fam]++
	} else if (type == "ACK") {
		if (id != 0 && reqport[fam, src, id] != dport)
			bad("ack", "ACK " id " names no request")
		k = $31 + 0
		nids = $32 == "" ? 0 : split($32, ids, ",")
		split($33, ports, ",")
		if (nids != k)
			bad("ack", "num_acks " k ", " nids " ids")
		for (i = 1; i <= nids; i++)
			if (reqport[fam, src, ids[i] + 0] != ports[i] + 0)
				bad("ack", "ack " ids[i] " port " \
				     ports[i] " names no request")
		if (k == 5)
			explicit5[fam]++
		nack[fam]++
	} else if (type == "CUTOFFS") {
		h = host(src)
		if ($29 != (h == "h1" ? cut1 : cut2) ||
		    $30 != (h == "h1" ? ver1 : ver2) || id != 0)
			bad("cutoffs", $29 " version " $30)
		cv = fam SUBSEP src SUBSEP dst
		if (!(cv in cut_frame)) {
			cut_frame[cv] = frame
			cut_ver[cv] = $30
			# What made the receiver speak: a stale version.
			if (last_ver[fam, dst, src] == $30)
				bad("cutoffs", "sent, but the last " \
				     "DATA had version " $30)
		}
	}
}
END {
	for (f = 4; f <= 6; f += 2) {
		fn = f == 4 ? "types-ipv4" : "types-ipv6"
		for (i = 1; i <= 9; i++) {
			count[fn] = count[fn] " " tn[i] "=" (seen[f, tn[i]] + 0)
			if (!seen[f, tn[i]])
				fail(fn, "no " tn[i])
		}
		if (sizes[f] != " 100 100000")
			fail("data", "IPv" f " message lengths to port 4000:" \
			     sizes[f])
		if (!ngrant[f])
			fail("grant", "no GRANT over IPv" f)
		if (!piggy[f] || !explicit5[f] || !need_ack[f])
			fail("ack", "IPv" f ": " piggy[f] + 0 " piggy-backed, " \
			     explicit5[f] + 0 " ACKs of 5, " need_ack[f] + 0 \
			     " NEED_ACK")
		if (!resend_all[f] || !nbusy[f])
			fail("resend-busy", "IPv" f ": " resend_all[f] + 0 \
			     " RESEND all, " nbusy[f] + 0 " BUSY")
	}
	# Each message arrived whole, and the long ones were granted fully.
	for (key in msglen) {
		m = "message of frame " first[key]
		pos = 0
		while ((key SUBSEP pos) in piece && piece[key, pos] > 0)
			pos += piece[key, pos]
		if (pos != msglen[key])
			fail("data", m ": bytes 0.." pos " of " msglen[key])
		if (msglen[key] > unsched[key] && granted[key] != msglen[key])
			fail("grant", m " (" msglen[key] " bytes) granted to " \
			     granted[key] + 0)
		if (msglen[key] <= unsched[key] && (key in granted))
			fail("grant", m " granted")
		if (msglen[key] > unsched[key])
			nlong++
	}
	count["data"] = " " nmsg + 0 " messages"
	count["grant"] = " " nlong + 0 " messages granted"
	# The injected packets (tests/vm/suites/capture/wire.sh).
	split("1000001 1000013", unk, " ")
	for (i = 1; i <= 2; i++) {
		split(inj[unk[i]], p, "|")
		if (name[p[10]] != "RPC_UNKNOWN" || p[8] != 4000 || p[9] != 5000)
			fail("injected", "no RPC_UNKNOWN " unk[i])
	}
	split(inj[base + 4], p, "|")
	if (p[21] != 3 || p[22] != "0,20,40" || p[23] != "20,20,20" ||
	    p[20] != 60 || p[19] != 0 || p[34] != "")
		fail("injected", "GSO DATA: segments " p[21] " at " p[22] \
		     " of " p[23] ", " p[20] " bytes " p[34])
	split(inj[base + 6], p, "|")
	if (p[19] != 1000 || p[22] != 4294967295 || p[20] != 16 || p[34] != "")
		fail("injected", "DATA sent as TCP: offset " p[19] ", " p[20] \
		     " bytes " p[34])
	split(inj[base + 8], p, "|")
	if (p[35] == "" || p[34] !~ /30 bytes: the GRANT header has 33/)
		fail("injected", "short GRANT not flagged: " p[34])
	split(inj[base + 10], p, "|")
	if (p[35] == "" || p[34] !~ /Type 0x20/)
		fail("injected", "type 0x20 not flagged: " p[34])
	for (i = 0; i <= 14; i += 2) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			continue
		if (!((base + i) in inj))
			fail("injected", "packet " base + i " not captured")
	}
	for (i = 1; i <= nchecks; i++) {
		c = checks[i]
		printf "%s\037%s\037%s\037%s\n", nfail[c] ? "FAIL" : "PASS",
		       title[c], count[c], detail[c]
	}
}
EOF

if [ -z "$kernels" ]; then
	kernels=$(scripts/kernels.sh) || {
		check 1 "supported kernels installed"
		finish
	}
fi
if ! make --no-print-directory -s modules-all tools >"$out/build.log" 2>&1; then
	check 1 "build homa.ko and the tools" "$(tail -n 5 "$out/build.log")"
	finish
fi

for kver in $kernels; do
	dir=$out/$kver
	mkdir -p "$dir"
	rm -f "$dir"/capture.pcap "$dir"/capture.txt
	start=$(date +%s)
	# run.sh waits for any other VM run on this machine to end.
	VM_APPEND=CAPTURE_DUMP=1 tests/vm/run.sh -v -k "$kver" capture \
		>"$dir/vm.log" 2>&1 && rc=0 || rc=$?
	vm_s=$(($(date +%s) - start))
	if [ "$rc" = 0 ] && grep -q '^ok [0-9]* capture/wire$' "$dir/vm.log"; then
		check 0 "$kver: VM capture suite (${vm_s}s)"
	else
		check 1 "$kver: VM capture suite (${vm_s}s)" "$(grep -v \
			'^# [A-Za-z0-9+/=]*$' "$dir/vm.log" | tail -n 20)"
	fi

	sed -n '/^# PCAP-BEGIN capture.pcap.gz$/,/^# PCAP-END$/p' \
		"$dir/vm.log" | sed -e '1d' -e '$d' -e 's/^# //' |
		base64 -d 2>/dev/null | gunzip >"$dir/capture.pcap" 2>/dev/null ||
		true
	frames=$(tshark -r "$dir/capture.pcap" -T fields -e frame.number \
		2>/dev/null | wc -l)
	if [ "$frames" -gt 0 ]; then
		check 0 "$kver: pcap extracted ($frames packets)"
	else
		check 1 "$kver: pcap extracted"
		continue
	fi
	cut1=$(awk '$2 == "cutoffs" && $3 == "h1" { print $4 }' "$dir/vm.log")
	ver1=$(awk '$2 == "cutoffs" && $3 == "h1" { print $5 }' "$dir/vm.log")
	cut2=$(awk '$2 == "cutoffs" && $3 == "h2" { print $4 }' "$dir/vm.log")
	ver2=$(awk '$2 == "cutoffs" && $3 == "h2" { print $5 }' "$dir/vm.log")

	start=$(date +%s.%N)
	args=()
	for f in $FIELDS; do
		args+=(-e "$f")
	done
	tshark_homa -r "$dir/capture.pcap" -T fields -E separator='|' \
		"${args[@]}" >"$dir/capture.txt" 2>"$dir/tshark.err" || true
	tshark_homa -r "$dir/capture.pcap" -V -O homa >"$dir/capture-V.txt" \
		2>>"$dir/tshark.err" || true
	ts_s=$(awk -v s="$start" -v e="$(date +%s.%N)" \
		'BEGIN { printf "%.1f", e - s }')
	if [ -s "$dir/tshark.err" ]; then
		check 1 "$kver: tshark reads the capture (${ts_s}s)" \
			"$(head -n 5 "$dir/tshark.err")"
	else
		check 0 "$kver: tshark reads the capture (${ts_s}s)"
	fi
	while IFS=$'\037' read -r verdict check count detail; do
		[ "$verdict" = PASS ] && rc=0 || rc=1
		check "$rc" "$kver: $check${count:+ (${count# })}" "$detail"
	done < <(awk -v base="$INJECT_BASE" -v cut1="$cut1" -v ver1="$ver1" \
		-v cut2="$cut2" -v ver2="$ver2" "$CHECK_AWK" "$dir/capture.txt")
	# The tree view shows what the fields cannot.
	missing=
	for text in 'Length: all (-1)' 'Segment 2: offset 20, length 20' \
		'Segment offset: 4294967295 (-1: sent as TCP)' \
		'Piggy-backed ack: client id' 'Ack 5: client id' \
		'Level 7 cutoff: ' 'Sender id: 0 (none)'; do
		grep -qF "$text" "$dir/capture-V.txt" ||
			missing="$missing '$text'"
	done
	if [ -z "$missing" ]; then
		check 0 "$kver: tree view (-V) labels"
	else
		check 1 "$kver: tree view (-V) labels" "missing:$missing"
	fi
done

finish
