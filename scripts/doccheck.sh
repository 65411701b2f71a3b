#!/bin/bash
# Check the manual pages (man/) against the code. One line per check,
# "ok - ..." or "not ok - ..." (with "#" lines saying why), then
# "N passed, N failed"; exit status 1 if any check failed.
#
#   1. Sysctls: every entry of the homa_sysctl_params table in
#      src/homa_sysctl.c has a .TP entry in the "Sysctls" list of
#      man/homa.7 that states its range ("range MIN to MAX", "each MIN to
#      MAX" for a list, "Read-only" for a derived value) and, where
#      homa_config_init() in src/homa_net.c sets it to a plain value, its
#      default ("Default VALUE"); and the list has no entry the table
#      lacks. Table entries are expanded through the macros they use, so
#      any wrapper of HOMA_SC() is understood.
#   2. Metrics: every line of /proc/net/homa_metrics, as
#      homa_metrics_line() in src/homa_metrics.c prints them (the names
#      of homa_metric_info, "packets_sent_" and "packets_rcvd_" with each
#      name of homa_type_names, names printed as literals, and families
#      such as prio_bytes_N whose N is a number), has a .TP
#      entry in the "Metrics" list of man/homa.7, and the list has no
#      other.
#   3. Every page passes "mandoc -T lint -W warning".
#   4. The programs between '.\" BEGIN EXAMPLE FILE' and '.\" END
#      EXAMPLE' in a page compile (cc -Wall -Wextra -Werror against
#      include/uapi); homa.7 must have one.
#   5. Every long option that tools/NAME.c declares appears in
#      man/NAME.1.
# When a source no longer has the form this script reads, it fails with a
# message saying so rather than checking nothing.
set -u
cd "$(dirname "$0")/.." || exit 1

compared=0

# Tally the "ok"/"not ok" lines read from stdin, echoing everything.
tally() {
	local line
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		"ok - "*) passed=$((passed + 1)) ;;
		"not ok - "*) failed=$((failed + 1)) ;;
		"# compared") compared=1 ;;
		esac
	done
}

. scripts/lib.sh

# Checks 1 and 2 (the sources against homa.7), and 5 (tool options).
compare() {
	perl -w - <<'PERL'
use strict;

my $page = 'man/homa.7';
my @headers = ('include/uapi/linux/homa.h', glob('src/*.h'), glob('src/*.c'));

sub slurp {
	my ($f) = @_;
	open(my $fh, '<', $f) or return undef;
	local $/;
	my $s = <$fh>;
	close($fh);
	return $s;
}

sub ok { print "ok - $_[0]\n"; }
sub notok {
	my ($what, @why) = @_;
	print "not ok - $what\n";
	print "#   $_\n" for @why;
}

# C source without comments.
sub nocomments {
	my ($s) = @_;
	$s =~ s{/\*.*?\*/}{ }gs;
	$s =~ s{//[^\n]*}{}g;
	return $s;
}

# Split "a, f(b, c), "d, e"" at its top-level commas.
sub split_args {
	my ($s) = @_;
	my (@args, $depth, $cur, $quote, $esc);
	($depth, $cur, $quote, $esc) = (0, '', 0, 0);
	for my $ch (split //, $s) {
		if ($quote) {
			$quote = 0 if $ch eq '"' && !$esc;
			$esc = !$esc && $ch eq '\\';
		} elsif ($ch eq '"') {
			$quote = 1;
		} elsif ($ch eq ',' && $depth == 0) {
			push @args, $cur;
			$cur = '';
			next;
		} elsif ($ch =~ /[({\[]/) {
			$depth++;
		} elsif ($ch =~ /[)}\]]/) {
			$depth--;
		}
		$cur .= $ch;
	}
	push @args, $cur if $cur =~ /\S/;
	s/^\s+|\s+$//g for @args;
	return @args;
}

# The text inside the parentheses that open at $pos - 1 in $s.
sub paren_body {
	my ($s, $pos) = @_;
	my ($depth, $start, $quote, $esc) = (1, $pos, 0, 0);
	while ($pos < length($s) && $depth > 0) {
		my $ch = substr($s, $pos, 1);
		if ($quote) {
			$quote = 0 if $ch eq '"' && !$esc;
			$esc = !$esc && $ch eq '\\';
		} elsif ($ch eq '"') {
			$quote = 1;
		} elsif ($ch eq '(') {
			$depth++;
		} elsif ($ch eq ')') {
			$depth--;
		}
		$pos++;
	}
	return ($depth == 0 ? substr($s, $start, $pos - 1 - $start) : undef,
		$pos);
}

# Function-like macros of the sysctl file: name -> [params, body].
my %fmacro;
# Object-like macros of every header and source: name -> value text.
my %omacro = (INT_MAX => '2147483647', U32_MAX => '4294967295',
	      U16_MAX => '65535', U8_MAX => '255', S32_MAX => '2147483647');
for my $f (@headers) {
	my $s = slurp($f) // next;
	$s =~ s/\\\n/ /g;
	$s = nocomments($s);
	while ($s =~ /^[ \t]*#[ \t]*define[ \t]+(\w+)(\([^)]*\))?[ \t]*(.*)$/mg) {
		my ($name, $params, $body) = ($1, $2, $3);
		if (defined $params) {
			next unless $f eq 'src/homa_sysctl.c';
			$params =~ s/^\(|\)$//g;
			$fmacro{$name} = [[split_args($params)], $body];
		} elsif (!exists $omacro{$name}) {
			$omacro{$name} = $body;
		}
	}
}

# Expand the function-like macros of homa_sysctl.c in $s.
sub expand {
	my ($s, $depth) = @_;
	return $s if $depth > 10;
	for my $m (sort { length($b) <=> length($a) } keys %fmacro) {
		while ($s =~ /\b\Q$m\E\s*\(/g) {
			my $at = $-[0];
			my ($body, $end) = paren_body($s, $+[0]);
			last unless defined $body;
			my @args = split_args($body);
			my ($params, $text) = @{$fmacro{$m}};
			my %map;
			@map{@$params} = @args;
			$text =~ s/#\s*(\w+)/exists $map{$1} ? "\"$map{$1}\"" : "#$1"/ge;
			$text =~ s/\b(\w+)\b/exists $map{$1} ? $map{$1} : $1/ge;
			substr($s, $at, $end - $at) = expand($text, $depth + 1);
			pos($s) = 0;
		}
	}
	return $s;
}

# The value of a C constant expression, or undef if it is not one.
sub value {
	my ($e, $depth) = @_;
	$depth //= 0;
	return undef if !defined $e || $depth > 10;
	$e =~ s/\b0[xX]([0-9a-fA-F]+)[uUlL]*\b/hex($1)/ge;
	$e =~ s/\b(\d+)[uUlL]+\b/$1/g;
	$e =~ s/\(\s*(?:u8|u16|u32|u64|int|unsigned int)\s*\)//g;
	while ($e =~ /\b([A-Za-z_]\w*)\b/) {
		my $name = $1;
		my $v = exists $omacro{$name} ? value($omacro{$name}, $depth + 1)
					      : undef;
		return undef unless defined $v;
		$e =~ s/\b\Q$name\E\b/($v)/;
	}
	return undef unless $e =~ /^[\s\d()+\-*\/<>]+$/ && $e =~ /\d/;
	my $v = eval $e;
	return defined $v && $v == int($v) ? int($v) : undef;
}

# The .TP entries of subsection $title of the page: [names, text]...
sub page_entries {
	my ($title) = @_;
	my $s = slurp($page) // return ();
	my @lines = split /\n/, $s;
	my ($in, @entries, $cur, $want_tag) = (0);
	for my $l (@lines) {
		if ($l =~ /^\.(SS|SH)\s+"?(.*?)"?\s*$/) {
			last if $in;
			$in = $2 eq $title;
			next;
		}
		next unless $in;
		if ($l =~ /^\.TP\b/) {
			$want_tag = 1;
			next;
		}
		if ($want_tag) {
			$want_tag = 0;
			my $tag = $l;
			$tag =~ s/^\.\w+\s*//;
			$tag =~ s/"[^"]*"/ /g;
			$tag =~ s/\\f[BIRP]//g;
			my @names = grep { /^[A-Za-z_]\w*$/ } split /[\s,]+/, $tag;
			$cur = [[@names], ''];
			push @entries, $cur;
			next;
		}
		next unless $cur;
		my $t = $l;
		next if $t =~ /^\.\\"/;
		$t =~ s/^\.\w+\s*//;
		$t =~ s/\\f[BIRP]//g;
		$t =~ s/\\-/-/g;
		$t =~ s/\\c$//;
		$t =~ s/"//g;
		$cur->[1] .= " $t";
	}
	$_->[1] =~ s/\s+/ /g for @entries;
	return @entries;
}

# ---- 1. sysctls -------------------------------------------------------
{
	my $s = slurp('src/homa_sysctl.c');
	my $table;
	if (defined $s) {
		$s = nocomments($s);
		$table = $1 if $s =~ /homa_sysctl_params\s*\[\s*\]\s*=\s*\{(.*?)\n\};/s;
	}
	my @params;
	if (defined $table) {
		my $x = expand($table, 0);
		while ($x =~ /\{\s*(\.name\s*=.*?)\}\s*(?:,|$)/sg) {
			my %f;
			for my $a (split_args($1)) {
				$f{$1} = $2 if $a =~ /^\.(\w+)\s*=\s*(.*)$/s;
			}
			next unless defined $f{name} && $f{name} =~ /^"(\w+)"$/;
			my $name = $1;
			push @params, { name => $name, min => value($f{min}),
					max => value($f{max}),
					count => value($f{count} // 1) // 1,
					ro => (($f{flags} // "") =~ /\bHOMA_SC_RO\b/ ? 1 : 0) };
		}
	}
	if (!@params) {
		notok('sysctls found in src/homa_sysctl.c',
		      'no entries found in homa_sysctl_params[]: has the table changed form?');
	}
	my %defaults;
	my $net = slurp('src/homa_net.c');
	if (defined $net && $net =~ /homa_config_init\s*\([^)]*\)\s*\{(.*?)\n\}/s) {
		my $body = $1;
		while ($body =~ /^\s*cfg->(\w+)\s*=\s*([^;]+);/mg) {
			my $v = value($2);
			$defaults{$1} = $v if defined $v;
		}
	} else {
		notok('defaults found in src/homa_net.c',
		      'no homa_config_init() found: has it moved?');
	}
	my %doc;
	for my $e (page_entries('Sysctls')) {
		$doc{$_} = $e->[1] for @{$e->[0]};
	}
	for my $p (@params) {
		my $n = $p->{name};
		my $text = $doc{$n};
		if (!defined $text) {
			notok("sysctl $n is documented in $page",
			      "no .TP entry for $n under \"Sysctls\"");
			next;
		}
		my @why;
		if ($p->{ro}) {
			push @why, 'the code makes it read-only: say "Read-only"'
				unless $text =~ /\bRead-only\b/;
		} elsif (!defined $p->{min} || !defined $p->{max}) {
			push @why, "cannot evaluate its range in the code";
		} else {
			my $word = $p->{count} > 1 ? 'each' : 'range';
			my $want = "$word $p->{min} to $p->{max}";
			push @why, "the code's range is \"$want\""
				unless $text =~ /\b\Q$want\E\b/;
		}
		if (defined $defaults{$n} &&
		    $text !~ /\bdefault $defaults{$n}\b/i) {
			push @why, "the code's default is \"Default $defaults{$n}\"";
		}
		if (@why) {
			notok("sysctl $n is documented in $page", @why);
		} else {
			ok("sysctl $n is documented in $page");
		}
	}
	my %code = map { $_->{name} => 1 } @params;
	for my $n (sort keys %doc) {
		notok("$page documents sysctl $n",
		      "src/homa_sysctl.c has no sysctl $n")
			if @params && !$code{$n};
	}
	ok("$page documents no sysctl that the code lacks")
		if @params && !grep { !$code{$_} } keys %doc;
}

# ---- 2. metrics -------------------------------------------------------
{
	my $s = slurp('src/homa_metrics.c');
	my (@names, @why);
	if (defined $s) {
		$s = nocomments($s);
		my @table;
		if ($s =~ /homa_metric_info\s*\[[^\]]*\]\s*=\s*\{(.*?)\n\};/s) {
			my $t = $1;
			push @table, $1 while $t =~ /\[\s*HOMA_M_\w+\s*\]\s*=\s*\{\s*"(\w+)"/g;
		}
		push @why, 'no names in homa_metric_info[]' unless @table;
		my @types;
		if ($s =~ /homa_type_names\s*\[\s*\]\s*=\s*\{(.*?)\};/s) {
			my $t = $1;
			push @types, $1 while $t =~ /"(\w+)"/g;
		}
		push @why, 'no names in homa_type_names[]' unless @types;
		# Lines come from homa_metrics_line(seq, prefix, NAME, ...):
		# NAME is homa_metric_info[i].name, a literal, or a buffer
		# that snprintf(name, sizeof(name), FMT, ...) filled; a %s
		# there is a packet type, a %u a number (the page says N).
		my $lines = 0;
		while ($s =~ /homa_metrics_line\s*\(/g) {
			my ($body) = paren_body($s, $+[0]);
			my @args = split_args($body // '');
			my $name = $args[2] // '';
			next if $name =~ /^const char/;	# the definition
			$lines++;
			if ($name =~ /homa_metric_info\b.*\.name$/) {
				push @names, @table;
			} elsif ($name =~ /^"(\w+)"$/) {
				push @names, $1;
			} elsif ($name ne 'name') {
				push @why, "cannot tell which name homa_metrics_line(..., $name, ...) prints";
			}
		}
		push @why, 'no homa_metrics_line() calls' unless $lines;
		while ($s =~ /snprintf\s*\(\s*name\s*,\s*sizeof\s*\(\s*name\s*\)\s*,\s*"([^"]*)"/g) {
			my $fmt = $1;
			if ($fmt =~ /^(\w*)%s$/) {
				push @names, map { "$1$_" } @types;
			} elsif ($fmt =~ /^(\w*)%u$/) {
				push @names, "$1N";
			} else {
				push @why, "cannot tell which names snprintf(name, ..., \"$fmt\") makes";
			}
		}
	} else {
		push @why, 'cannot read src/homa_metrics.c';
	}
	if (@why || !@names) {
		notok('metrics found in src/homa_metrics.c', @why,
		      'has the code changed form? (update scripts/doccheck.sh)');
	}
	my %doc;
	for my $e (page_entries('Metrics')) {
		$doc{$_} = 1 for @{$e->[0]};
	}
	my %code;
	for my $n (@names) {
		next if $code{$n}++;
		if ($doc{$n}) {
			ok("metric $n is documented in $page");
		} else {
			notok("metric $n is documented in $page",
			      "no .TP entry for $n under \"Metrics\"");
		}
	}
	for my $n (sort keys %doc) {
		notok("$page documents metric $n",
		      "src/homa_metrics.c prints no counter $n")
			if @names && !$code{$n};
	}
	ok("$page documents no metric that the code lacks")
		if @names && !grep { !$code{$_} } keys %doc;
}

# ---- 5. long options of the tools -------------------------------------
for my $src (glob('tools/*.c')) {
	(my $tool = $src) =~ s{^tools/(.*)\.c$}{$1};
	my $man = "man/$tool.1";
	next unless -e $man;
	my $s = nocomments(slurp($src) // '');
	my @opts;
	push @opts, $1 while $s =~ /\{\s*"([a-z][\w-]*)"\s*,\s*(?:no|required|optional)_argument\b/g;
	my $text = slurp($man) // '';
	$text =~ s/\\-/-/g;
	$text =~ s/\\f[BIRP]//g;
	my @missing = grep { $text !~ /(?<![\w-])--\Q$_\E(?![\w-])/ } @opts;
	if (!@opts) {
		notok("$man documents the options of $src",
		      "no struct option entries found in $src");
	} elsif (@missing) {
		notok("$man documents the options of $src",
		      map { "--$_ is not in $man" } @missing);
	} else {
		ok("$man documents the options of $src");
	}
}
print "# compared\n";
PERL
}

tally < <(compare 2>&1)
[ "$compared" = 1 ] ||
	result 1 "sources compared with the pages" \
		"the Perl part of scripts/doccheck.sh stopped early"

# ---- 3. mandoc lint -----------------------------------------------------
pages=$(ls man/*.[1-9] 2>/dev/null)
if [ -z "$pages" ]; then
	result 1 "manual pages exist" "no man/*.[1-9]"
elif ! command -v mandoc >/dev/null; then
	result 1 "mandoc lint" "mandoc is not installed: run scripts/setup.sh"
else
	for p in $pages; do
		out=$(mandoc -T lint -W warning "$p" 2>&1)
		result $? "mandoc lint $p" "$out"
	done
fi

# ---- 4. examples compile ----------------------------------------------
mkdir -p build/doc
found_homa7=1
for p in $pages; do
	# shellcheck disable=SC2013 # the names have no blanks
	for name in $(sed -n 's/^\.\\" BEGIN EXAMPLE \([A-Za-z0-9_.-]*\.c\)$/\1/p' "$p"); do
		[ "$p" = man/homa.7 ] && found_homa7=0
		src=build/doc/$name
		# The code between the markers, without requests, unescaped.
		awk -v name="$name" '
			$0 == ".\\\" BEGIN EXAMPLE " name { on = 1; next }
			on && $0 == ".\\\" END EXAMPLE" { exit }
			on && !/^[.\047]/ { print }' "$p" |
			sed -e 's/\\(aq/'"'"'/g' -e 's/\\-/-/g' -e 's/\\e/\\/g' \
			>"$src"
		out=$(${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -Iinclude/uapi \
			-o "${src%.c}" "$src" 2>&1)
		result $? "example $name in $p compiles" "$out"
	done
done
[ -e man/homa.7 ] &&
	result $found_homa7 "man/homa.7 has an example program" \
		"no '.\\\" BEGIN EXAMPLE FILE.c' marker"

finish
