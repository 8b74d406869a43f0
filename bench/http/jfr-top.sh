#!/usr/bin/env bash
# Hottest frames of a JFR recording's execution samples (jdk.ExecutionSample).
#
# Usage:  bench/http/jfr-top.sh recording.jfr [N]     (N lines per table, default 20)
#         JFR_TOOL=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr bench/http/jfr-top.sh rec.jfr
#
# Prints three tables, each "samples  percent  frame":
#   1. top frames: where the CPU was when sampled (self time);
#   2. innermost com.example frame: our code each sample runs in or under (a filter, when
#      the sample is in framework code before or after the controller);
#   3. any frame in the stack (inclusive time).
# JFR keeps 64 frames of a stack by default, fewer than a Spring MVC request has: run.sh
# records with -XX:FlightRecorderOptions:stackdepth=256 so the outer frames are counted.
# Works with the jfr tool of Java 17 (Java 21+ also has "jfr view hot-methods").
set -euo pipefail

FILE=${1:?usage: jfr-top.sh recording.jfr [N]}
N=${2:-20}
JFR_TOOL=${JFR_TOOL:-jfr}

"$JFR_TOOL" print --events jdk.ExecutionSample --stack-depth 256 "$FILE" | awk -v n="$N" '
	# One event: "jdk.ExecutionSample {", ..., "stackTrace = [", frames, "]", "}".
	/^jdk.ExecutionSample/ { in_stack = 0; first = ""; ours = ""; delete seen; next }
	/stackTrace = \[/ { in_stack = 1; samples++; next }
	in_stack && /^[[:space:]]*\]/ {
		in_stack = 0
		if (first != "") top[first]++
		if (ours != "") service[ours]++
		next
	}
	in_stack {
		frame = $0
		sub(/^[[:space:]]+/, "", frame)
		sub(/[[:space:]]+line:.*/, "", frame)
		if (frame == "...") next
		if (first == "") first = frame
		if (ours == "" && frame ~ /^com\.example\./) ours = frame
		if (!(frame in seen)) { seen[frame] = 1; inclusive[frame]++ }
	}
	function table(title, counts,    k, line, cmd) {
		printf "%s (of %d samples)\n", title, samples
		cmd = "sort -rn | head -n " n
		for (k in counts) printf "%8d %6.1f%%  %s\n", counts[k], 100 * counts[k] / samples, k | cmd
		close(cmd)
		print ""
	}
	END {
		if (samples == 0) { print "no jdk.ExecutionSample events"; exit }
		table("top frames (self)", top)
		table("innermost com.example frame", service)
		table("frames anywhere in the stack (inclusive)", inclusive)
	}'
