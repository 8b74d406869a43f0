#!/usr/bin/env bash
# HTTP throughput benchmark of the coupon service on this machine (127.0.0.1 only).
#
# Usage:  bench/http/run.sh                      # build, then 4 scenarios x (10 s warm-up + 20 s)
#         DURATION=3 WARMUP=2 bench/http/run.sh  # smoke run, about 20 s of load in all
#
# It builds the jar (./mvnw -o -q -DskipTests package), starts it with the "bench" profile
# on a free port of 127.0.0.1, waits for readiness, generates the codes the status and
# redeem scenarios use, warms up each scenario in turn, then for each scenario runs
#     wrk -t2 -c64 -d${DURATION}s --latency
# and prints one line per scenario: rps, p50, p99, non-2xx, socket errors, and for the
# coupon scenarios rps and p99 relative to /noop. The server is stopped on exit, whatever
# happens. Every wrk run is bounded by DURATION (or WARMUP) seconds.
#
# Environment (all optional):
#   JAVA_HOME       JDK that runs the server (default: java on PATH), e.g.
#                   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/http/run.sh
#   BENCH_JVM_FLAGS JVM flags of the server (default: bench/jvm-flags, the recommended set)
#   SERVER_ARGS     extra Spring Boot arguments, e.g. "--logging.level.root=WARN"
#   BUILD=0         use the existing target/*.jar instead of building
#   JAR=path        run this jar instead (an older build, to compare before and after)
#   DURATION=20     seconds of each measured run     WARMUP=10  seconds of warm-up per scenario
#   THREADS=2 CONNECTIONS=64                         wrk threads and connections
#   CODES=20000     codes generated for each of the status and redeem sets
#   SCENARIOS="noop status redeem generate"          which ones, in this order
#   SERVER_CPUS / WRK_CPUS  pin the server / wrk with taskset (e.g. 0 and 1); default unpinned
#   RESULTS=dir     where server log and raw wrk output go (default bench/results/http-<time>)
#   JFR=scenario    record a JFR profile (JFR_SETTINGS, default profile) of that scenario's
#                   measured run into RESULTS/<scenario>.jfr and print its hottest frames
#                   (bench/http/jfr-top.sh)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export BENCH_HTTP_DIR="$ROOT/bench/http"

# The recommended flags (bench/jvm-flags), so the run measures what would ship.
DEFAULT_JVM_FLAGS=$(grep -v '^#' "$ROOT/bench/jvm-flags" | tr '\n' ' ' | sed 's/  */ /g; s/ $//')
BENCH_JVM_FLAGS=${BENCH_JVM_FLAGS-$DEFAULT_JVM_FLAGS}
SERVER_ARGS=${SERVER_ARGS:-}
BUILD=${BUILD:-1}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
CODES=${CODES:-20000}
SCENARIOS=${SCENARIOS:-noop status redeem generate}
SERVER_CPUS=${SERVER_CPUS:-}
WRK_CPUS=${WRK_CPUS:-}
RESULTS=${RESULTS:-$ROOT/bench/results/http-$(date +%Y%m%dT%H%M%S)}
JFR=${JFR:-}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

if ! command -v wrk >/dev/null; then
	log "wrk not found; installing it (apt-get install -y wrk)"
	apt-get install -y wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y wrk >/dev/null; }
fi
command -v curl >/dev/null || { log "curl is required"; exit 1; }

mkdir -p "$RESULTS"
cd "$ROOT"
find_jar

pinned() {   # pinned CPUS: the taskset prefix that pins a command to CPUS, if any
	if [[ -n $1 ]]; then echo "taskset -c $1"; fi
}

# JFR=scenario: a recording with the same settings runs from launch, so that no event
# instrumentation (class retransformation, recompilation) happens while we measure; a
# second recording, started just before the measured run and stopped right after, is the
# profile (starting and stopping one begins a new chunk, so its file holds only that
# window). JFR keeps 64 frames of a stack by default, fewer than a Spring MVC request has.
JFR_SETTINGS=${JFR_SETTINGS:-profile}
JFR_FLAGS=
if [[ -n $JFR ]]; then
	JFR_FLAGS="-XX:StartFlightRecording=name=primer,settings=$JFR_SETTINGS,maxage=2m -XX:FlightRecorderOptions:stackdepth=256"
fi
# shellcheck disable=SC2086  # flag lists are meant to split
start_server "$RESULTS/server.log" $(pinned "$SERVER_CPUS") "$JAVA" $BENCH_JVM_FLAGS $JFR_FLAGS -jar "$JAR" \
	--spring.profiles.active=bench --server.address=127.0.0.1 --server.port=0 $SERVER_ARGS
STARTED=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$RESULTS/server.log" | head -n 1 || true)

needs() { [[ " $SCENARIOS " == *" $1 "* ]]; }
if needs status || needs redeem; then
	log "generating $CODES codes each for status, redeem and the redeem warm-up"
	make_codes "$CODES" "$RESULTS/status-codes.txt"
	make_codes "$CODES" "$RESULTS/redeem-codes.txt"
	make_codes "$CODES" "$RESULTS/redeem-warmup-codes.txt"
fi

# Sum of coupon_generated_total for one source label.
generated() {
	curl -fsS "$BASE/actuator/prometheus" |
		awk -v src="$1" '$1 ~ /^coupon_generated_total\{/ && index($1, "source=\"" src "\"") { s += $2 } END { printf "%d\n", s }'
}

run_wrk() {   # run_wrk SECONDS SCENARIO OUTFILE [CODEFILE]
	local seconds=$1 scenario=$2 out=$3 codes=${4:-}
	local args=(-t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$BENCH_HTTP_DIR/$scenario.lua" "$BASE")
	if [[ -n $codes ]]; then args+=(-- "$codes"); fi
	# shellcheck disable=SC2046
	$(pinned "$WRK_CPUS") wrk "${args[@]}" >"$out" 2>&1 || { log "wrk failed for $scenario:"; cat "$out" >&2; server_alive; exit 1; }
	server_alive
}

# A server that stopped while we did not ask it to makes every later number meaningless.

# Fields of the WRK_RESULT line that common.lua's done() prints.
field() { sed -n "s/^WRK_RESULT.* $2=\([^ ]*\).*/\1/p" "$1"; }

{
	echo "date:        $(date -u +%FT%TZ)"
	echo "commit:      $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "java:        $("$JAVA" -version 2>&1 | head -n 2 | tail -n 1)"
	echo "jvm flags:   $BENCH_JVM_FLAGS"
	echo "server args: --spring.profiles.active=bench $SERVER_ARGS"
	echo "wrk:         -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency (warm-up ${WARMUP}s)"
	echo "cpus:        $(nproc); server ${SERVER_CPUS:-unpinned}, wrk ${WRK_CPUS:-unpinned}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "startup:     ${STARTED:-?}"
} | tee "$RESULTS/summary.txt"

codes_for() {   # codes_for SCENARIO warmup|measure: the code file its Lua script reads
	case $1:$2 in
		status:*) echo "$RESULTS/status-codes.txt" ;;
		redeem:warmup) echo "$RESULTS/redeem-warmup-codes.txt" ;;
		redeem:measure) echo "$RESULTS/redeem-codes.txt" ;;
		noop:* | generate:*) echo "" ;;
		*) log "unknown scenario $1"; exit 1 ;;
	esac
}

# Warm up every scenario before measuring any: the JIT then compiles the shared stack
# (Tomcat, filters, Jackson, metrics) for the mix of endpoints, as in production, and
# noop, measured first, is not measured half-compiled.
if ((WARMUP > 0)); then
	for scenario in $SCENARIOS; do
		log "warm-up $scenario (${WARMUP}s)"
		run_wrk "$WARMUP" "$scenario" "$RESULTS/$scenario-warmup.txt" "$(codes_for "$scenario" warmup)"
	done
fi

declare -A RPS P50 P99 NON2XX SOCK
for scenario in $SCENARIOS; do
	codes=$(codes_for "$scenario" measure)
	if [[ $scenario == generate ]]; then
		pool_before=$(generated pool)
		on_demand_before=$(generated on_demand)
	fi
	if [[ $scenario == "$JFR" ]]; then
		"$JCMD" "$SERVER_PID" JFR.start name=bench settings="$JFR_SETTINGS" >/dev/null
	fi
	log "measure $scenario (${DURATION}s)"
	out=$RESULTS/$scenario.txt
	run_wrk "$DURATION" "$scenario" "$out" "$codes"
	if [[ $scenario == "$JFR" ]]; then
		"$JCMD" "$SERVER_PID" JFR.stop name=bench filename="$RESULTS/$scenario.jfr" >/dev/null
	fi
	[[ -n $(field "$out" rps) ]] || { log "no WRK_RESULT line in $out"; cat "$out" >&2; exit 1; }
	RPS[$scenario]=$(field "$out" rps)
	P50[$scenario]=$(awk -v us="$(field "$out" p50_us)" 'BEGIN { printf "%.2f", us / 1000 }')
	P99[$scenario]=$(awk -v us="$(field "$out" p99_us)" 'BEGIN { printf "%.2f", us / 1000 }')
	NON2XX[$scenario]=$(field "$out" non2xx)
	SOCK[$scenario]=$(($(field "$out" connect) + $(field "$out" read) + $(field "$out" write) + $(field "$out" timeout)))
	if [[ $scenario == generate ]]; then
		pool=$(($(generated pool) - pool_before))
		on_demand=$(($(generated on_demand) - on_demand_before))
		GENERATE_SOURCES="generate sources during the measured run: pool=$pool on_demand=$on_demand ($(awk -v p="$pool" -v o="$on_demand" 'BEGIN { printf "%.1f", (p + o) ? 100 * o / (p + o) : 0 }')% on demand)"
	fi
done

{
	printf '%-9s %10s %8s %8s %7s %8s %9s %9s\n' scenario rps p50_ms p99_ms non2xx sock_err rps/noop p99/noop
	for scenario in $SCENARIOS; do
		rps_ratio=-
		p99_ratio=-
		if [[ $scenario != noop && -n ${RPS[noop]:-} ]]; then
			rps_ratio=$(awk -v a="${RPS[$scenario]}" -v b="${RPS[noop]}" 'BEGIN { printf "%.2f", a / b }')
			p99_ratio=$(awk -v a="${P99[$scenario]}" -v b="${P99[noop]}" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
		fi
		printf '%-9s %10.0f %8s %8s %7s %8s %9s %9s\n' "$scenario" "${RPS[$scenario]}" "${P50[$scenario]}" \
			"${P99[$scenario]}" "${NON2XX[$scenario]}" "${SOCK[$scenario]}" "$rps_ratio" "$p99_ratio"
	done
	if [[ -n ${GENERATE_SOURCES:-} ]]; then echo "$GENERATE_SOURCES"; fi
	if [[ -n $JFR && -f $RESULTS/$JFR.jfr ]]; then
		echo "JFR profile of $JFR: $RESULTS/$JFR.jfr"
		JFR_TOOL=${JAVA_HOME:+$JAVA_HOME/bin/}jfr "$BENCH_HTTP_DIR/jfr-top.sh" "$RESULTS/$JFR.jfr" 15
	fi
	echo "raw output: $RESULTS"
} | tee -a "$RESULTS/summary.txt"
