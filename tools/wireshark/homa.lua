-- SPDX-License-Identifier: GPL-2.0
--
-- Wireshark/tshark dissector for the Homa transport protocol (IP protocol
-- 146, IPv4 and IPv6), following the wire format of this repository
-- (src/homa_wire.h): the 28-byte common header and every packet type,
-- DATA (with the per-segment headers of GSO packets), GRANT, RESEND,
-- RPC_UNKNOWN, BUSY, CUTOFFS, FREEZE, NEED_ACK and ACK.
--
-- Use:
--   tshark -X lua_script:tools/wireshark/homa.lua -r capture.pcap
--   wireshark -X lua_script:tools/wireshark/homa.lua capture.pcap
-- or copy this file to ~/.local/lib/wireshark/plugins/.
--
-- Every field is named homa.*: homa.type, homa.sender_id, homa.data.offset,
-- homa.grant.offset ... ("tshark -G fields -X lua_script:homa.lua" lists
-- them). Packets shorter than their type's header, of an unknown type, or
-- with inconsistent segments are flagged with expert info (tshark -z
-- expert). In a DATA packet of several segments (GSO, doff 13), the data
-- bytes per segment are found from the segment offsets, or set by the
-- preference homa.gso_segment.

local homa = Proto("homa", "Homa Transport Protocol")

local IPPROTO_HOMA = 146
local COMMON_LEN = 28
local DATA_LEN = 56
local SEG_HDR_OFFSET = 52 -- the header TSO replicates ends here
local MAX_ACKS = 5
local MAX_MESSAGE_LENGTH = 1000000
local RESEND_ALL = -1
local TCP_URGENT = 0xb97d

local T_DATA = 0x10
local T_GRANT = 0x11
local T_RESEND = 0x12
local T_RPC_UNKNOWN = 0x13
local T_BUSY = 0x14
local T_CUTOFFS = 0x15
local T_FREEZE = 0x16
local T_NEED_ACK = 0x17
local T_ACK = 0x18

local type_names = {
	[T_DATA] = "DATA",
	[T_GRANT] = "GRANT",
	[T_RESEND] = "RESEND",
	[T_RPC_UNKNOWN] = "RPC_UNKNOWN",
	[T_BUSY] = "BUSY",
	[T_CUTOFFS] = "CUTOFFS",
	[T_FREEZE] = "FREEZE",
	[T_NEED_ACK] = "NEED_ACK",
	[T_ACK] = "ACK",
}

-- Header length of each type, in bytes.
local header_len = {
	[T_DATA] = DATA_LEN,
	[T_GRANT] = 33,
	[T_RESEND] = 37,
	[T_RPC_UNKNOWN] = COMMON_LEN,
	[T_BUSY] = COMMON_LEN,
	[T_CUTOFFS] = 62,
	[T_FREEZE] = COMMON_LEN,
	[T_NEED_ACK] = COMMON_LEN,
	[T_ACK] = 80,
}

-- doff (high nibble: header length in 32-bit words) per kind of packet.
local DOFF_CONTROL = 5
local DOFF_DATA = 14
local DOFF_DATA_GSO = 13

local U8, U16, U32 = ProtoField.uint8, ProtoField.uint16, ProtoField.uint32
local U64, BYTES, NONE = ProtoField.uint64, ProtoField.bytes, ProtoField.none
local DEC, HEX = base.DEC, base.HEX

local f = {
	-- Common header.
	sport = U16("homa.sport", "Source port", DEC),
	dport = U16("homa.dport", "Destination port", DEC),
	port = U16("homa.port", "Source or destination port", DEC),
	sequence = U32("homa.sequence", "Sequence", DEC, nil, nil,
		"In DATA: message offset of the first byte"),
	unused = BYTES("homa.unused", "Unused"),
	type = U8("homa.type", "Type", HEX, type_names),
	doff = U8("homa.doff", "Data offset", HEX),
	hdr_words = U8("homa.hdr_words", "Header length (32-bit words)", DEC,
		nil, 0xf0),
	flags = U8("homa.flags", "Flags", HEX),
	window = U16("homa.window", "Window", DEC),
	checksum = U16("homa.checksum", "Checksum", HEX),
	urgent = U16("homa.urgent", "Urgent", HEX),
	sender_id = U64("homa.sender_id", "Sender id", DEC, nil, nil,
		"RPC id as the sender of this packet knows it"),
	client_id = U64("homa.client_id", "Client RPC id", DEC, nil, nil,
		"RPC id at the client (even): the same in both directions"),
	from_client = ProtoField.bool("homa.from_client", "Sent by the client"),

	-- DATA.
	data_message_length = U32("homa.data.message_length",
		"Message length", DEC),
	data_incoming = U32("homa.data.incoming", "Incoming", DEC, nil, nil,
		"Bytes the sender sends without further grants"),
	data_ack = NONE("homa.data.ack", "Piggy-backed ack"),
	data_ack_client_id = U64("homa.data.ack.client_id", "Client id", DEC),
	data_ack_server_port = U16("homa.data.ack.server_port", "Server port",
		DEC),
	data_cutoff_version = U16("homa.data.cutoff_version",
		"Cutoff version", DEC),
	data_retransmit = U8("homa.data.retransmit", "Retransmit", DEC,
		{ [0] = "no", [1] = "yes" }),
	data_pad = BYTES("homa.data.pad", "Pad"),
	data_offset = U32("homa.data.offset", "Offset", DEC, nil, nil,
		"Message offset of the packet's first data byte"),
	data_payload_length = U32("homa.data.payload_length",
		"Payload length", DEC, nil, nil,
		"Message bytes in this packet"),
	data_segments = U32("homa.data.segments", "Segments", DEC),
	data_seg = NONE("homa.data.seg", "Segment"),
	data_seg_offset = U32("homa.data.seg.offset", "Segment offset", DEC,
		nil, nil, "0xffffffff: sent as TCP, see the sequence"),
	data_seg_length = U32("homa.data.seg.length", "Segment length", DEC),
	data_seg_data = BYTES("homa.data.seg.data", "Segment data"),

	-- GRANT.
	grant_offset = U32("homa.grant.offset", "Offset", DEC, nil, nil,
		"The sender may send the bytes below this offset"),
	grant_priority = U8("homa.grant.priority", "Priority", DEC),

	-- RESEND.
	resend_offset = U32("homa.resend.offset", "Offset", DEC),
	resend_length = ProtoField.int32("homa.resend.length", "Length", DEC,
		nil, nil, "Bytes to send again; -1: all sent so far"),
	resend_priority = U8("homa.resend.priority", "Priority", DEC),

	-- CUTOFFS.
	cutoffs = NONE("homa.cutoffs", "Unscheduled cutoffs"),
	cutoffs_cutoff = U32("homa.cutoffs.cutoff", "Cutoff", DEC, nil, nil,
		"Longest message sent unscheduled at a level"),
	cutoffs_version = U16("homa.cutoffs.version", "Cutoff version", DEC),

	-- ACK.
	ack_num_acks = U16("homa.ack.num_acks", "Acks", DEC),
	ack_entry = NONE("homa.ack.entry", "Ack"),
	ack_client_id = U64("homa.ack.client_id", "Client id", DEC),
	ack_server_port = U16("homa.ack.server_port", "Server port", DEC),
	ack_unused = BYTES("homa.ack.unused", "Unused ack slots"),

	extra = BYTES("homa.extra", "Bytes after the header"),
	undecoded = BYTES("homa.undecoded", "Undecoded bytes"),
}

local fields = {}
for _, field in pairs(f) do
	fields[#fields + 1] = field
end
homa.fields = fields

local ex = {
	short = ProtoExpert.new("homa.short", "Packet shorter than its header",
				expert.group.MALFORMED, expert.severity.ERROR),
	unknown_type = ProtoExpert.new("homa.unknown_type",
				       "Unknown packet type",
				       expert.group.MALFORMED,
				       expert.severity.ERROR),
	bad_port = ProtoExpert.new("homa.bad_port", "Port 0",
				   expert.group.PROTOCOL,
				   expert.severity.WARN),
	bad_doff = ProtoExpert.new("homa.bad_doff",
				   "Unexpected data offset for this type",
				   expert.group.PROTOCOL,
				   expert.severity.WARN),
	bad_length = ProtoExpert.new("homa.bad_length",
				     "Message length out of range",
				     expert.group.PROTOCOL,
				     expert.severity.WARN),
	beyond = ProtoExpert.new("homa.beyond_message",
				 "Data beyond the message length",
				 expert.group.PROTOCOL, expert.severity.WARN),
	segments = ProtoExpert.new("homa.bad_segments",
				   "Inconsistent segment offsets",
				   expert.group.MALFORMED,
				   expert.severity.WARN),
	num_acks = ProtoExpert.new("homa.too_many_acks",
				   "More acks than an ACK packet holds",
				   expert.group.PROTOCOL,
				   expert.severity.WARN),
	extra = ProtoExpert.new("homa.extra_bytes",
				"Bytes after the control header",
				expert.group.PROTOCOL, expert.severity.NOTE),
	truncated = ProtoExpert.new("homa.capture_truncated",
				    "Header cut by the snapshot length",
				    expert.group.UNDECODED,
				    expert.severity.NOTE),
}
homa.experts = {
	ex.short, ex.unknown_type, ex.bad_port, ex.bad_doff, ex.bad_length,
	ex.beyond, ex.segments, ex.num_acks, ex.extra, ex.truncated,
}

homa.prefs.gso_segment = Pref.uint("GSO segment data size", 0,
	"Bytes of message data per segment in multi-segment (GSO) DATA " ..
	"packets; 0 finds it from the segment offsets")

-- Decoding state of one packet: the buffer and its two lengths. Fields
-- are added only where the bytes were captured, so that a short or
-- truncated packet never raises a Lua error.
local Pkt = {}
Pkt.__index = Pkt

local function new_pkt(tvb, tree)
	return setmetatable({
		tvb = tvb,
		tree = tree,
		caplen = tvb:len(),
		len = tvb:reported_len(),
		truncated = false,
	}, Pkt)
end

-- Whether bytes [off, off + n) were captured; notes it once if not.
function Pkt:have(off, n)
	if off + n <= self.caplen then
		return true
	end
	if not self.truncated then
		self.truncated = true
		self.tree:add_proto_expert_info(ex.truncated, string.format(
			"Capture ends at byte %d of %d: later fields not decoded",
			self.caplen, self.len))
	end
	return false
end

function Pkt:uint(off, n)
	return self.tvb(off, n):uint()
end

-- Add field @field over [off, off + n) to @tree; returns the item or nil.
function Pkt:add(tree, field, off, n)
	if not self:have(off, n) then
		return nil
	end
	return tree:add(field, self.tvb(off, n))
end

local function id_text(id)
	return tostring(id)
end

-- The common header: returns the type, the sender id and the ports.
local function dissect_common(p, tree)
	local tvb = p.tvb
	local sport = tvb(0, 2):uint()
	local dport = tvb(2, 2):uint()
	local item

	item = tree:add(f.sport, tvb(0, 2))
	if sport == 0 then
		item:add_proto_expert_info(ex.bad_port)
	end
	tree:add(f.port, tvb(0, 2)):set_hidden()
	item = tree:add(f.dport, tvb(2, 2))
	if dport == 0 then
		item:add_proto_expert_info(ex.bad_port)
	end
	tree:add(f.port, tvb(2, 2)):set_hidden()
	tree:add(f.sequence, tvb(4, 4))
	tree:add(f.unused, tvb(8, 3))
	local type = tvb(11, 1):uint()
	tree:add(f.type, tvb(11, 1))
	local doff = tvb(12, 1):uint()
	item = tree:add(f.doff, tvb(12, 1))
	item:add(f.hdr_words, tvb(12, 1))
	local words = math.floor(doff / 16)
	if type == T_DATA then
		if words ~= DOFF_DATA and words ~= DOFF_DATA_GSO then
			item:add_proto_expert_info(ex.bad_doff, string.format(
				"DATA packets have data offset %d or %d words, not %d",
				DOFF_DATA, DOFF_DATA_GSO, words))
		end
	elseif type_names[type] and words ~= DOFF_CONTROL then
		item:add_proto_expert_info(ex.bad_doff, string.format(
			"Control packets have data offset %d words, not %d",
			DOFF_CONTROL, words))
	end
	tree:add(f.flags, tvb(13, 1))
	tree:add(f.window, tvb(14, 2))
	tree:add(f.checksum, tvb(16, 2))
	item = tree:add(f.urgent, tvb(18, 2))
	if tvb(18, 2):uint() == TCP_URGENT then
		item:append_text(" (Homa packet sent as TCP)")
	end
	local id = tvb(20, 8):uint64()
	item = tree:add(f.sender_id, tvb(20, 8))
	if id == UInt64(0) then
		item:append_text(" (none)")
	else
		local from_client = id:band(UInt64(1)) == UInt64(0)
		item = tree:add(f.client_id, tvb(20, 8),
				from_client and id or id:bxor(UInt64(1)))
		item:set_generated()
		item = tree:add(f.from_client, tvb(20, 8), from_client)
		item:set_generated()
	end
	return type, id, sport, dport, words
end

-- Whether every segment header after the first, @n data bytes apart,
-- holds the offset that follows on from the previous segment.
local function segments_follow(p, first, n)
	local limit = math.min(p.caplen, p.len)
	local pos = SEG_HDR_OFFSET + 4 + n
	local expected = first + n
	while pos + 4 < limit do
		if p.tvb(pos, 4):uint() ~= expected then
			return false
		end
		pos = pos + 4 + n
		expected = expected + n
	end
	return true
end

-- Find the data bytes per segment of a multi-segment DATA packet: the
-- smallest length such that the next segment's offset follows on and
-- so do all later ones; failing that, the smallest such that the next
-- one follows on (the later ones are then flagged).
local function find_segment_size(p, first)
	local last = math.min(p.caplen, p.len) - 4
	local candidate = nil
	for n = 1, last - DATA_LEN do
		if p.tvb(DATA_LEN + n, 4):uint() == first + n then
			if segments_follow(p, first, n) then
				return n
			end
			candidate = candidate or n
		end
	end
	return candidate
end

-- The segments of a DATA packet, from the seg header at byte 52. Returns
-- the message offset of the first byte and the message bytes in all.
local function dissect_segments(p, tree, gso, sequence, msg_len)
	local seg_size = nil
	local first = p:uint(SEG_HDR_OFFSET, 4)
	if gso then
		if homa.prefs.gso_segment > 0 then
			seg_size = homa.prefs.gso_segment
		elseif first ~= 0xffffffff then
			seg_size = find_segment_size(p, first)
		end
	end
	-- Without a size, all the bytes after the header are one segment.
	local total = p.len - DATA_LEN
	seg_size = seg_size or math.max(total, 0)

	local pos = SEG_HDR_OFFSET
	local count = 0
	local bytes = 0
	local first_offset = nil
	local expected = nil
	while pos + 4 <= p.len do
		local length = math.min(seg_size, p.len - pos - 4)
		if count > 0 and length <= 0 then
			break
		end
		count = count + 1
		local seg
		if pos < p.caplen then
			seg = tree:add(f.data_seg, p.tvb(pos,
				math.min(4 + length, p.caplen - pos)))
		else
			seg = tree:add(f.data_seg)
		end
		local offset = nil
		if p:have(pos, 4) then
			local raw = p:uint(pos, 4)
			local item = seg:add(f.data_seg_offset, p.tvb(pos, 4))
			if raw == 0xffffffff then
				-- Sent as TCP: the offset is the TCP sequence.
				item:append_text(" (-1: sent as TCP)")
				if count == 1 then
					offset = sequence
				end
			else
				offset = raw
				if expected and raw ~= expected then
					item:add_proto_expert_info(ex.segments,
						string.format(
						"Segment %d starts at %d, not at %d",
						count, raw, expected))
				end
			end
		end
		local item = seg:add(f.data_seg_length, length)
		item:set_generated()
		if length > 0 and pos + 4 < p.caplen then
			seg:add(f.data_seg_data, p.tvb(pos + 4,
				math.min(length, p.caplen - pos - 4)))
		end
		if offset then
			seg:set_text(string.format(
				"Segment %d: offset %d, length %d", count,
				offset, length))
			if msg_len and offset + length > msg_len then
				seg:add_proto_expert_info(ex.beyond, string.format(
					"Segment ends at %d, the message at %d",
					offset + length, msg_len))
			end
			expected = offset + length
		else
			seg:set_text(string.format(
				"Segment %d: length %d", count, length))
			expected = nil
		end
		if count == 1 then
			first_offset = offset
		end
		bytes = bytes + length
		pos = pos + 4 + length
	end
	return first_offset, bytes, count
end

local function dissect_data(p, tree, words)
	local tvb = p.tvb
	local msg_len = tvb(28, 4):uint()
	local item = tree:add(f.data_message_length, tvb(28, 4))
	if msg_len == 0 or msg_len > MAX_MESSAGE_LENGTH then
		item:add_proto_expert_info(ex.bad_length, string.format(
			"Message length %d is not within 1..%d", msg_len,
			MAX_MESSAGE_LENGTH))
	end
	tree:add(f.data_incoming, tvb(32, 4))
	local ack_id = tvb(36, 8):uint64()
	local ack_port = tvb(44, 2):uint()
	local ack = tree:add(f.data_ack, tvb(36, 10))
	ack:add(f.data_ack_client_id, tvb(36, 8))
	ack:add(f.data_ack_server_port, tvb(44, 2))
	if ack_id == UInt64(0) then
		ack:append_text(": none")
	else
		ack:append_text(string.format(": client id %s, server port %d",
					      id_text(ack_id), ack_port))
	end
	tree:add(f.data_cutoff_version, tvb(46, 2))
	local retransmit = tvb(48, 1):uint()
	tree:add(f.data_retransmit, tvb(48, 1))
	tree:add(f.data_pad, tvb(49, 3))

	local sequence = tvb(4, 4):uint()
	local offset, bytes, count = dissect_segments(p, tree,
		words == DOFF_DATA_GSO, sequence, msg_len)
	if offset then
		item = tree:add(f.data_offset, tvb(SEG_HDR_OFFSET, 4), offset)
		if tvb(SEG_HDR_OFFSET, 4):uint() == 0xffffffff then
			item:append_text(" (from the sequence)")
			item:set_generated()
		end
	end
	item = tree:add(f.data_payload_length, bytes)
	item:set_generated()
	item = tree:add(f.data_segments, count)
	item:set_generated()

	local info = string.format("off=%s len=%d msg=%d",
				   offset and tostring(offset) or "?", bytes,
				   msg_len)
	if count > 1 then
		info = info .. string.format(" segs=%d", count)
	end
	if ack_id ~= UInt64(0) then
		info = info .. " ack=" .. id_text(ack_id)
	end
	if retransmit ~= 0 then
		info = info .. " retransmit"
	end
	return info
end

local function dissect_grant(p, tree)
	local tvb = p.tvb
	tree:add(f.grant_offset, tvb(28, 4))
	tree:add(f.grant_priority, tvb(32, 1))
	return string.format("off=%d prio=%d", tvb(28, 4):uint(),
			     tvb(32, 1):uint())
end

local function dissect_resend(p, tree)
	local tvb = p.tvb
	local length = tvb(32, 4):int()
	tree:add(f.resend_offset, tvb(28, 4))
	local item = tree:add(f.resend_length, tvb(32, 4))
	if length == RESEND_ALL then
		item:set_text("Length: all (-1)")
	end
	tree:add(f.resend_priority, tvb(36, 1))
	return string.format("off=%d len=%s prio=%d", tvb(28, 4):uint(),
			     length == RESEND_ALL and "all" or tostring(length),
			     tvb(36, 1):uint())
end

local function dissect_cutoffs(p, tree)
	local tvb = p.tvb
	local sub = tree:add(f.cutoffs, tvb(28, 32))
	local values = {}
	for level = 0, 7 do
		local r = tvb(28 + 4 * level, 4)
		values[#values + 1] = tostring(r:uint())
		sub:add(f.cutoffs_cutoff, r):set_text(
			string.format("Level %d cutoff: %d", level, r:uint()))
	end
	sub:set_text("Unscheduled cutoffs: " .. table.concat(values, " "))
	tree:add(f.cutoffs_version, tvb(60, 2))
	return string.format("ver=%d", tvb(60, 2):uint())
end

local function dissect_ack(p, tree)
	local tvb = p.tvb
	local num = tvb(28, 2):uint()
	local item = tree:add(f.ack_num_acks, tvb(28, 2))
	if num > MAX_ACKS then
		item:add_proto_expert_info(ex.num_acks, string.format(
			"%d acks claimed; receivers use the first %d",
			num, MAX_ACKS))
		num = MAX_ACKS
	end
	local ids = {}
	for i = 1, num do
		local off = 30 + 10 * (i - 1)
		local id = tvb(off, 8):uint64()
		local port = tvb(off + 8, 2):uint()
		local entry = tree:add(f.ack_entry, tvb(off, 10))
		entry:add(f.ack_client_id, tvb(off, 8))
		entry:add(f.ack_server_port, tvb(off + 8, 2))
		entry:set_text(string.format(
			"Ack %d: client id %s, server port %d", i,
			id_text(id), port))
		ids[#ids + 1] = id_text(id)
	end
	if num < MAX_ACKS then
		local unused = 30 + 10 * num
		tree:add(f.ack_unused, tvb(unused, 80 - unused))
	end
	if #ids == 0 then
		return "acks=0"
	end
	return string.format("acks=%d [%s]", #ids, table.concat(ids, ","))
end

local dissectors = {
	[T_DATA] = dissect_data,
	[T_GRANT] = dissect_grant,
	[T_RESEND] = dissect_resend,
	[T_CUTOFFS] = dissect_cutoffs,
	[T_ACK] = dissect_ack,
}

function homa.dissector(tvb, pinfo, root)
	pinfo.cols.protocol:set("Homa")
	local tree = root:add(homa, tvb())
	local p = new_pkt(tvb, tree)

	if p.len < COMMON_LEN then
		tree:add_proto_expert_info(ex.short, string.format(
			"%d bytes: the common header has %d", p.len,
			COMMON_LEN))
		pinfo.cols.info:set(string.format(
			"Homa, short packet (%d bytes)", p.len))
		return p.caplen
	end
	if not p:have(0, COMMON_LEN) then
		pinfo.cols.info:set("Homa, header not captured")
		return p.caplen
	end

	local type, id, sport, dport, words = dissect_common(p, tree)
	local name = type_names[type]
	local ports = string.format(", %d → %d", sport, dport)
	if not name then
		tree:add_proto_expert_info(ex.unknown_type, string.format(
			"Type 0x%02x is not one of 0x10..0x18", type))
		pinfo.cols.info:set(string.format("Homa, unknown type 0x%02x",
						  type) .. ports)
		if p.caplen > COMMON_LEN then
			tree:add(f.undecoded, tvb(COMMON_LEN))
		end
		return p.caplen
	end
	local need = header_len[type]
	tree:append_text(string.format(", %s, id %s", name, id_text(id)))
	local info = string.format("%s id=%s", name, id_text(id))

	if p.len < need then
		tree:add_proto_expert_info(ex.short, string.format(
			"%d bytes: the %s header has %d", p.len, name, need))
		pinfo.cols.info:set(info .. string.format(" short (%d bytes)",
							  p.len) .. ports)
		if p.caplen > COMMON_LEN then
			tree:add(f.undecoded, tvb(COMMON_LEN))
		end
		return p.caplen
	end
	if not p:have(0, need) then
		pinfo.cols.info:set(info .. " (header not captured)" .. ports)
		return p.caplen
	end

	local fn = dissectors[type]
	if fn then
		local more = fn(p, tree, words)
		if more then
			info = info .. " " .. more
		end
	end
	if type ~= T_DATA and p.len > need then
		tree:add_proto_expert_info(ex.extra, string.format(
			"%d bytes after the %d-byte %s header", p.len - need,
			need, name))
		if p.caplen > need then
			tree:add(f.extra, tvb(need))
		end
	end
	pinfo.cols.info:set(info .. ports)
	return p.caplen
end

DissectorTable.get("ip.proto"):add(IPPROTO_HOMA, homa)
