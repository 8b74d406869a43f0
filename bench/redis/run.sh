#!/usr/bin/env bash
# Redis Cluster mode throughput of the coupon service beside the in-memory mode and beside
# what Redis alone does, in one run, on this machine, 127.0.0.1 only.
#
# Usage:  bench/redis/run.sh                          # build, then everything: about 6 min
#         BUILD=0 DURATION=3 WARMUP=1 bench/redis/run.sh   # smoke run, about 3 min
#         SINGLE=1 bench/redis/run.sh                 # also one single node, min-replica-acks=0 (+2 min)
#         BUILD=0 PHASES=reference bench/redis/run.sh # only the Redis reference figures
#
# It starts a Redis Cluster of 3 masters + 3 replicas (bench/redis/cluster.sh's settings:
# AOF everysec, no RDB, cluster-node-timeout 2000) on ports BASE_PORT..BASE_PORT+5 in a
# temporary directory, and with SINGLE=1 one cluster-enabled node owning every slot on
# BASE_PORT+10. Then, in this order (PHASES):
#
#   memory      the jar with profile bench (the in-memory store)
#   cluster     profiles bench,redis on the 3+3 cluster, coupon.redis.min-replica-acks=1
#               (the default: every change waits for WAIT 1 500 on its master)
#   single      (SINGLE=1) profiles bench,redis on the single node, min-replica-acks=0
#   postgres    profiles bench,postgres on a private PostgreSQL 15 (bench/postgres/private.sh,
#               the settings of bench/postgres/run.sh), for the durable mode beside
#   reference   Redis alone, the service stopped, against ONE master of the 3+3 cluster
#               with CONNECTIONS connections, keys {TAG}...__rand_int__ (-r 100000) of a
#               hash tag that master serves:
#                 redis-benchmark SET, GET, EVALSHA of a small HGET + HSET script (the
#                   shape of the redemption's change.lua, much smaller)
#                 RespLoad (bench/redis/RespLoad.java) SET; SET + WAIT 1 500; EVALSHA +
#                   WAIT 1 500, each pipelined in one round trip as the service sends a
#                   change and its WAIT. redis-benchmark sends one command per request (and
#                   WAIT does not block inside MULTI or a script), so it cannot measure
#                   this; RespLoad's SET calibrates it against redis-benchmark's SET.
#
# Each of memory, cluster and single starts the service twice (a new JVM each time):
#   limits off  the rate limits off (capacity and network capacity 0), wrk -t2 -c64:
#                 noop      GET /noop (no store)
#                 status    GET /coupon-status of STATUS_CODES known codes, in turn
#                 redeem    POST /redeem-coupon of fresh codes, each exactly once
#                           (bench/postgres/redeem-fresh.lua)
#                 generate  POST /generate-coupon {}
#   limits on   the default limits with capacity raised to 10^9 (nobody gets 429), the
#               proxy trusted (PROXY_ARGS), every request from one of CLIENTS addresses
#               (X-Forwarded-For: 198.51.100.1-64, bench/postgres/redeem-fresh.lua):
#                 redeem-64 redeem of fresh codes; in Redis mode each request also spends
#                           two Bucket4j buckets (address and network) in the cluster
# Each scenario is warmed up (WARMUP s) and then measured (DURATION s). Fresh codes come
# from POST /generate-coupons (bench/lib.sh's make_codes) before the runs: CODES_PER_SEC
# (memory) or REDIS_CODES_PER_SEC (Redis modes) per second of each warm-up, and for the
# measured run the larger of that and twice the warm-up's redeem rate. After each redeem
# run the service's metrics must show no repeat (coupon_redemptions_total
# {outcome="already_redeemed"} unchanged), else a WARNING and REPEATS= in the notes.
# Before each measured run the script waits until no Redis node is forking (AOF rewrite,
# replica sync); the notes say forks=N when one began during the run anyway.
#
# At the end: one table of every run (rps, p50, p99, wrk's non-2xx, the server's 503s
# (http_server_requests{status="503"}: a WAIT that timed out, no write connection free
# within 2 s, Redis unreachable), socket errors, other% = CPU used by other processes),
# the rps side by side with Redis mode / memory mode, the reference figures, and the
# ratios Redis mode / reference. Server logs, raw wrk, redis-benchmark and RespLoad output,
# code lists: RESULTS (bench/results/redis-<time>/, git-ignored). The JVM, wrk and every
# redis-server are stopped and the temporary directory removed on any exit.
#
# Environment (all optional):
#   JAVA_HOME       JDK of the server and RespLoad (default temurin-25 if present, else PATH)
#   BENCH_JVM_FLAGS JVM flags of the server (default: bench/jvm-flags)
#   SERVER_ARGS     extra Spring Boot arguments for every server start
#   PROXY_ARGS      arguments that make the server trust X-Forwarded-For from 127.0.0.1
#   BUILD=0         use the existing target/*.jar instead of building
#   JAR=path        run this jar instead (implies BUILD=0)
#   DURATION=10 WARMUP=5        seconds of each measured run / of each warm-up
#   THREADS=2 CONNECTIONS=64    wrk threads and connections (also the reference's)
#   CLIENTS=64                  client addresses of redeem-64 (at most 254)
#   SINGLE=1                    add the single-node phase
#   POSTGRES=0                  leave out the postgres phase
#   PHASES="memory cluster [single] postgres reference"   which phases, in this order
#   BASE_PORT=7100              first port of the cluster (BASE_PORT+10: the single node);
#                               the script refuses to run if a port or its +10000 is taken
#   STATUS_CODES=20000          known codes for status
#   CODES_PER_SEC=30000 REDIS_CODES_PER_SEC=8000   fresh codes per second of redeem run
#   RB_PER_SEC=40000            redis-benchmark -n = RB_PER_SEC x DURATION per test
#   RESP_WARMUP=2               RespLoad's warm-up seconds (its JIT), per mode
#   WRK_TIMEOUT=10s             wrk's --timeout: longer than the service's 2 s Redis timeout
#   RESULTS=dir                 default bench/results/redis-<time>
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/redis"
export BENCH_HTTP_DIR="$ROOT/bench/http"
export BENCH_PG_DIR="$ROOT/bench/postgres"

DEFAULT_JVM_FLAGS=$(grep -v '^#' "$ROOT/bench/jvm-flags" | tr '\n' ' ' | sed 's/  */ /g; s/ $//')
BENCH_JVM_FLAGS=${BENCH_JVM_FLAGS-$DEFAULT_JVM_FLAGS}
SERVER_ARGS=${SERVER_ARGS:-}
PROXY_ARGS=${PROXY_ARGS-'--coupon.security.trusted-proxies=127.0.0.1/32'}
BUILD=${BUILD:-1}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
DURATION=${DURATION%s}   # "3s" works too
WARMUP=${WARMUP%s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
CLIENTS=${CLIENTS:-64}
SINGLE=${SINGLE:-0}
DEFAULT_PHASES="memory cluster"
if [[ $SINGLE == 1 ]]; then DEFAULT_PHASES+=" single"; fi
if [[ ${POSTGRES:-1} == 1 ]]; then DEFAULT_PHASES+=" postgres"; fi
PHASES=${PHASES:-$DEFAULT_PHASES reference}
BASE_PORT=${BASE_PORT:-7100}
STATUS_CODES=${STATUS_CODES:-20000}
CODES_PER_SEC=${CODES_PER_SEC:-30000}
REDIS_CODES_PER_SEC=${REDIS_CODES_PER_SEC:-8000}
RB_PER_SEC=${RB_PER_SEC:-40000}
RESP_WARMUP=${RESP_WARMUP:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
RESULTS=${RESULTS:-$ROOT/bench/results/redis-$(date +%Y%m%dT%H%M%S)}
if [[ -z ${JAVA_HOME:-} && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
	JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=bench/redis/cluster.sh
source "$HERE/cluster.sh"
# shellcheck source=bench/postgres/private.sh
source "$ROOT/bench/postgres/private.sh"

has_phase() { [[ " $PHASES " == *" $1 "* ]]; }
say() { log "[$(printf '%3d s' "$SECONDS")] $*"; }

# ---------------------------------------------------------------------------- clean-up
WORK=$(mktemp -d /tmp/coupon-redis-bench.XXXXXX)
CLUSTER_DIR=$WORK/cluster
SINGLE_DIR=$WORK/single
stop_redis() {   # after the server (lib.sh's cleanup stops it first)
	redis_stop_cluster "$SINGLE_DIR" || true
	redis_stop_cluster "$CLUSTER_DIR" || true
	rm -rf "$WORK"
}
CLEANUPS+=(stop_redis)

# ---------------------------------------------------------------------------- tools, jar
if ! command -v wrk >/dev/null; then
	log "wrk not found; installing it (apt-get install -y wrk)"
	apt-get install -y wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y wrk >/dev/null; }
fi
for tool in curl redis-server redis-cli redis-benchmark; do
	command -v "$tool" >/dev/null || { log "$tool is required (apt-get install -y curl redis-server)"; exit 1; }
done
if ((CLIENTS < 1 || CLIENTS > 254)); then log "CLIENTS must be 1..254"; exit 1; fi

mkdir -p "$RESULTS"
cd "$ROOT"
find_jar

# ---------------------------------------------------------------------------- Redis
CLUSTER_NODES=
SINGLE_NODES=
if has_phase cluster || has_phase reference; then
	say "starting a Redis Cluster of 3 masters + 3 replicas on ports $BASE_PORT-$((BASE_PORT + 5))"
	redis_start_cluster "$CLUSTER_DIR" "$BASE_PORT" 1 3
	CLUSTER_NODES=$REDIS_CLUSTER_NODES
fi
if has_phase single; then
	say "starting one cluster-enabled node on port $((BASE_PORT + 10))"
	redis_start_cluster "$SINGLE_DIR" $((BASE_PORT + 10)) 0 1
	SINGLE_NODES=$REDIS_CLUSTER_NODES
fi
if has_phase postgres; then
	say "starting a private PostgreSQL"
	start_private_postgres
fi
redis_ports() {   # every running node of ours
	local dir
	for dir in "$CLUSTER_DIR" "$SINGLE_DIR"; do
		[[ -d $dir ]] && redis_dir_ports "$dir"
	done
	return 0
}
redis_pids() {
	local dir port
	for dir in "$CLUSTER_DIR" "$SINGLE_DIR"; do
		[[ -d $dir ]] || continue
		for port in $(redis_dir_ports "$dir"); do _redis_live_pid "$dir" "$port"; done
	done
	return 0
}
# Sum of one INFO field over every node of ours.
redis_info_sum() {   # redis_info_sum SECTION FIELD
	local port s=0 v
	for port in $(redis_ports); do
		v=$(redis_cli "$port" INFO "$1" | sed -n "s/^$2://p")
		s=$((s + ${v:-0}))
	done
	echo "$s"
}
# Before a measured run: no node forking (AOF rewrite, RDB for a replica), for at most 60 s.
settle() {
	local i busy
	for i in $(seq 1 120); do
		busy=$(($(redis_info_sum persistence aof_rewrite_in_progress) + $(redis_info_sum persistence rdb_bgsave_in_progress)))
		((busy == 0)) && return
		if ((i == 1)); then say "waiting for a Redis fork (AOF rewrite) to finish"; fi
		sleep 0.5
	done
}

# ---------------------------------------------------------------------------- the service
start_service() {   # start_service MODE NAME [Spring Boot arguments...]
	local mode=$1 name=$2 profiles=bench nodes=
	shift 2
	case $mode in
		memory) ;;
		cluster) profiles=bench,redis nodes=$CLUSTER_NODES ;;
		single) profiles=bench,redis nodes=$SINGLE_NODES && set -- "$@" --coupon.redis.min-replica-acks=0 ;;
		postgres) profiles=bench,postgres ;;
	esac
	# shellcheck disable=SC2086  # flag lists are meant to split
	REDIS_NODES=$nodes POSTGRES_URL="jdbc:postgresql://127.0.0.1:${PG_PORT:-5432}/$PG_DB" POSTGRES_USER=$PG_USER \
		POSTGRES_PASSWORD=$PG_PASSWORD start_server "$RESULTS/server-$mode-$name.log" "$JAVA" $BENCH_JVM_FLAGS -jar "$JAR" \
		--spring.profiles.active=$profiles --server.address=127.0.0.1 --server.port=0 "$@" $SERVER_ARGS
}
repeats() { metric coupon_redemptions_total 'outcome="already_redeemed"'; }
redeemed() { metric coupon_redemptions_total 'outcome="redeemed"'; }
count_503() { metric http_server_requests_seconds_count 'status="503"'; }

# wrk: OUTFILE THREADS CONNECTIONS SECONDS LUA [LUA ARGUMENTS...]
run_wrk() {
	local out=$1 threads=$2 connections=$3 seconds=$4 script=$5
	shift 5
	local args=(-t"$threads" -c"$connections" -d"${seconds}s" --timeout "$WRK_TIMEOUT" --latency -s "$script" "$BASE")
	if (($# > 0)); then args+=(-- "$@"); fi
	wrk "${args[@]}" >"$out" 2>&1 &
	WRK_PIDS=($!)
	if ! wait "${WRK_PIDS[0]}"; then log "wrk failed ($out):"; cat "$out" >&2; server_alive; exit 1; fi
	WRK_PIDS=()
	grep -q '^WRK_RESULT' "$out" || { log "no WRK_RESULT line in $out"; cat "$out" >&2; exit 1; }
	server_alive
}
field() { sed -n "s/^WRK_RESULT.* $2=\([^ ]*\).*/\1/p" "$1"; }

# The machine is shared: the share of both cores that processes other than ours (this
# script and its children, the JVM, the redis-server nodes and their forks) used during a
# run. Above ~5 % the run measured a busy machine.
cpu_jiffies() {   # "busy total ours" from /proc
	awk '/^cpu / { printf "%d %d ", $2 + $3 + $4 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
	local ours
	ours=" $(redis_pids | tr '\n' ' ')"
	# /proc/PID/stat after "PID (comm) ": 12 utime, 13 stime, 14 cutime, 15 cstime
	for f in /proc/[0-9]*/stat; do cat "$f" 2>/dev/null && echo; done | awk -v self=$$ -v jvm="${SERVER_PID:-0}" -v redis="$ours " '
		{ pid = $1; sub(/^[^(]*\(.*\) /, ""); }
		pid == self { s += $12 + $13 + $14 + $15 }   # this shell and the children it waited for
		pid == jvm { s += $12 + $13 }
		index(redis, " " pid " ") { s += $12 + $13 + $14 + $15 }
		END { printf "%d\n", s }'
}
CPU_MARK=

# ---------------------------------------------------------------------------- figures
declare -A RPS P50 P99 NON2XX E503 SOCK NOTE OTHER
ROWS=()
record_wrk() {   # record_wrk KEY OUTFILE 503S [NOTE]
	local key=$1 out=$2
	RPS[$key]=$(field "$out" rps)
	P50[$key]=$(awk -v us="$(field "$out" p50_us)" 'BEGIN { printf "%.2f", us / 1000 }')
	P99[$key]=$(awk -v us="$(field "$out" p99_us)" 'BEGIN { printf "%.2f", us / 1000 }')
	NON2XX[$key]=$(field "$out" non2xx)
	E503[$key]=$3
	SOCK[$key]=$(($(field "$out" connect) + $(field "$out" read) + $(field "$out" write) + $(field "$out" timeout)))
	NOTE[$key]=${4:-}
	OTHER[$key]=$(cpu_other)
	ROWS+=("$key")
}
rps_or_dash() { if [[ -n ${RPS[$1]:-} ]]; then printf '%.0f' "${RPS[$1]}"; else echo -; fi; }

{
	echo "date:        $(date -u +%FT%TZ)"
	echo "commit:      $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "jar:         $JAR ($(date -u -r "$JAR" +%FT%TZ))"
	echo "java:        $("$JAVA" -version 2>&1 | head -n 2 | tail -n 1)"
	echo "jvm flags:   $BENCH_JVM_FLAGS"
	echo "redis:       $(redis-server --version | cut -d' ' -f3); cluster ${CLUSTER_NODES:-none}; single ${SINGLE_NODES:-none}"
	if has_phase postgres; then echo "postgresql:  $PG_VERSION on 127.0.0.1:$PG_PORT (bench/postgres/postgresql.conf)"; fi
	echo "             appendonly yes, appendfsync everysec, save \"\", cluster-node-timeout 2000 (bench/redis/cluster.sh)"
	echo "wrk:         -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout $WRK_TIMEOUT (warm-up ${WARMUP}s)"
	echo "proxy args:  $PROXY_ARGS"
	echo "phases:      $PHASES"
	echo "cpus:        $(nproc); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RESULTS/summary.txt"

# ---------------------------------------------------------------------------- one mode
# measure MODE SCENARIO OUTFILE LUA ARGS...: one measured wrk run, recorded as "MODE SCENARIO".
measure() {
	local mode=$1 scenario=$2 out=$3
	shift 3
	settle
	local before_503 before_repeats before_redeemed forks pool on_demand note=
	before_503=$(count_503)
	before_repeats=$(repeats)
	before_redeemed=$(redeemed)
	pool=$(metric coupon_generated_total 'source="pool"')
	on_demand=$(metric coupon_generated_total 'source="on_demand"')
	forks=$(redis_info_sum stats total_forks)
	say "$mode: measure $scenario (${DURATION}s)"
	cpu_mark
	run_wrk "$out" "$THREADS" "$CONNECTIONS" "$DURATION" "$@"
	case $scenario in
		redeem*)
			local r=$(($(repeats) - before_repeats))
			note="redeemed=$(($(redeemed) - before_redeemed))"
			if ((r != 0)); then
				log "WARNING: $mode $scenario repeated $r codes (its fresh code list ran out): raise CODES_PER_SEC / REDIS_CODES_PER_SEC"
				note+=" REPEATS=$r"
			fi
			;;
		generate)
			pool=$(($(metric coupon_generated_total 'source="pool"') - pool))
			on_demand=$(($(metric coupon_generated_total 'source="on_demand"') - on_demand))
			note="on_demand=$on_demand of $((pool + on_demand))"
			;;
	esac
	forks=$(($(redis_info_sum stats total_forks) - forks))
	if ((forks > 0)); then note+=" forks=$forks"; fi
	record_wrk "$mode $scenario" "$out" $(($(count_503) - before_503)) "$note"
}
# Codes for a measured redeem run: RATE a second, or twice what the warm-up redeemed.
measured_codes() {   # measured_codes RATE WARMUP_OUTFILE
	local n=$(($1 * DURATION)) warm
	if [[ -f $2 ]]; then
		warm=$(awk -v r="$(field "$2" rps)" -v d="$DURATION" 'BEGIN { printf "%d", 2 * r * d }')
		if ((warm > n)); then n=$warm; fi
	fi
	echo "$n"
}

run_mode() {   # run_mode MODE
	local mode=$1 rate=$REDIS_CODES_PER_SEC scenario r=$RESULTS/$1
	if [[ $mode == memory ]]; then rate=$CODES_PER_SEC; fi

	# ------------------------------------------------ limits off
	start_service "$mode" off --coupon.rate-limit.redeem.capacity=0 --coupon.rate-limit.status.capacity=0 \
		--coupon.rate-limit.redeem.network-capacity=0 --coupon.rate-limit.status.network-capacity=0
	say "$mode: making $STATUS_CODES status codes and $((rate * WARMUP)) warm-up redeem codes"
	make_codes "$STATUS_CODES" "$r-status-codes.txt"
	off_args() {   # off_args SCENARIO warmup|measure: Lua script and arguments
		case $1:$2 in
			noop:*) echo "$BENCH_HTTP_DIR/noop.lua" ;;
			generate:*) echo "$BENCH_HTTP_DIR/generate.lua" ;;
			status:*) echo "$BENCH_HTTP_DIR/status.lua $r-status-codes.txt" ;;
			redeem:*) echo "$BENCH_PG_DIR/redeem-fresh.lua $r-off-redeem-$2-codes.txt $THREADS" ;;
		esac
	}
	if ((WARMUP > 0)); then
		make_codes $((rate * WARMUP)) "$r-off-redeem-warmup-codes.txt"
		for scenario in noop status redeem generate; do
			say "$mode: warm-up $scenario (${WARMUP}s)"
			# shellcheck disable=SC2046  # script and arguments
			run_wrk "$r-off-$scenario-warmup.txt" "$THREADS" "$CONNECTIONS" "$WARMUP" $(off_args $scenario warmup)
		done
	fi
	local n
	n=$(measured_codes "$rate" "$r-off-redeem-warmup.txt")
	say "$mode: making $n redeem codes"
	make_codes "$n" "$r-off-redeem-measure-codes.txt"
	for scenario in noop status redeem generate; do
		# shellcheck disable=SC2046
		measure "$mode" "$scenario" "$r-off-$scenario.txt" $(off_args $scenario measure)
	done
	stop_server

	# ------------------------------------------------ limits on, CLIENTS addresses
	# shellcheck disable=SC2086  # PROXY_ARGS is an argument list
	start_service "$mode" on64 --coupon.rate-limit.redeem.capacity=1000000000 \
		--coupon.rate-limit.status.capacity=1000000000 $PROXY_ARGS
	if ((WARMUP > 0)); then
		say "$mode: making $((rate * WARMUP)) warm-up redeem codes (limits on)"
		make_codes $((rate * WARMUP)) "$r-on64-redeem-warmup-codes.txt"
		say "$mode: warm-up redeem-64 (${WARMUP}s)"
		run_wrk "$r-on64-redeem-warmup.txt" "$THREADS" "$CONNECTIONS" "$WARMUP" \
			"$BENCH_PG_DIR/redeem-fresh.lua" "$r-on64-redeem-warmup-codes.txt" "$THREADS" "$CLIENTS"
	fi
	n=$(measured_codes "$rate" "$r-on64-redeem-warmup.txt")
	say "$mode: making $n redeem codes (limits on)"
	make_codes "$n" "$r-on64-redeem-measure-codes.txt"
	measure "$mode" redeem-64 "$r-on64-redeem.txt" \
		"$BENCH_PG_DIR/redeem-fresh.lua" "$r-on64-redeem-measure-codes.txt" "$THREADS" "$CLIENTS"
	# The proxy trust worked if the limiter saw CLIENTS addresses (not one).
	NOTE["$mode redeem-64"]+=" tracked_clients=$(metric coupon_ratelimit_tracked_clients) (expect >= $CLIENTS)"
	stop_server
}

for mode in memory cluster single postgres; do
	if has_phase "$mode"; then run_mode "$mode"; fi
done

# ---------------------------------------------------------------------------- reference
declare -A REF_RPS REF_P50 REF_P99 REF_NOTE
REF_ROWS=()
REF_MASTER=
if has_phase reference; then
	REF_MASTER=$(redis_masters "$BASE_PORT" | head -n 1)
	port=${REF_MASTER##*:}
	# A hash tag whose slot this master serves: every key of the runs goes to it.
	tag=
	for i in $(seq 0 99); do
		if [[ $(redis_cli "$port" SET "{bench$i}probe" x) == OK ]]; then
			tag=bench$i
			redis_cli "$port" DEL "{bench$i}probe" >/dev/null
			break
		fi
	done
	[[ -n $tag ]] || { log "no hash tag {bench0..99} lands on $REF_MASTER"; exit 1; }
	script="local s = redis.call('HGET', KEYS[1], 's') redis.call('HSET', KEYS[1], 's', 'USED', 'ra', ARGV[1]) return s"
	sha=$(redis_cli "$port" SCRIPT LOAD "$script")
	requests=$((RB_PER_SEC * DURATION))
	rb() {   # rb NAME COMMAND...: redis-benchmark, --csv: "test","rps","avg","min","p50","p95","p99","max"
		local name=$1 out="$RESULTS/reference-$1.csv"
		shift
		settle
		say "reference: redis-benchmark $name ($requests requests)"
		cpu_mark
		redis-benchmark -h 127.0.0.1 -p "$port" -c "$CONNECTIONS" -n "$requests" -r 100000 --csv "$@" >"$out" 2>&1 ||
			{ log "redis-benchmark $name failed:"; cat "$out" >&2; exit 1; }
		local line
		line=$(grep -v '^"test"' "$out" | tail -n 1 | tr -d '"')
		[[ -n $line ]] || { log "no result in $out"; cat "$out" >&2; exit 1; }
		local rps p50 p99
		IFS=, read -r _ rps _ _ p50 _ p99 _ <<<"$line"
		REF_RPS["redis-benchmark $name"]=$rps
		REF_P50["redis-benchmark $name"]=$p50
		REF_P99["redis-benchmark $name"]=$p99
		REF_NOTE["redis-benchmark $name"]="$(grep -c 'Error' "$out" || true) errors; other%=$(cpu_other)"
		REF_ROWS+=("redis-benchmark $name")
	}
	resp_field() { sed -n "s/^RESP_RESULT.* $2=\([^ ]*\).*/\1/p" "$1"; }
	rl() {   # rl NAME MODE: RespLoad
		local name=$1 out="$RESULTS/reference-resp-$2.txt"
		settle
		say "reference: RespLoad $name (${RESP_WARMUP}s + ${DURATION}s)"
		cpu_mark
		"$JAVA" "$HERE/RespLoad.java" "$port" "$CONNECTIONS" "$RESP_WARMUP" "$DURATION" "$2" "$tag" "$sha" 1 500 >"$out" 2>&1 ||
			{ log "RespLoad $2 failed:"; cat "$out" >&2; exit 1; }
		REF_RPS["RespLoad $name"]=$(resp_field "$out" rps)
		REF_P50["RespLoad $name"]=$(awk -v us="$(resp_field "$out" p50_us)" 'BEGIN { printf "%.3f", us / 1000 }')
		REF_P99["RespLoad $name"]=$(awk -v us="$(resp_field "$out" p99_us)" 'BEGIN { printf "%.3f", us / 1000 }')
		REF_NOTE["RespLoad $name"]="$(resp_field "$out" errors) errors, $(resp_field "$out" short_waits) WAITs short of 1 replica; other%=$(cpu_other)"
		REF_ROWS+=("RespLoad $name")
	}
	rb SET SET "{$tag}k:__rand_int__" v
	rb GET GET "{$tag}k:__rand_int__"
	rb EVALSHA EVALSHA "$sha" 1 "{$tag}c:__rand_int__" 1700000000000
	rl SET set
	rl "SET+WAIT 1" set-wait
	rl "EVALSHA+WAIT 1" evalsha-wait
	# The reference keys are not the service's; drop them (small: 100,000 a kind).
	for kind in k c; do
		redis-cli -h 127.0.0.1 -p "$port" --scan --pattern "{$tag}$kind:*" |
			xargs -r -n 500 redis-cli -h 127.0.0.1 -p "$port" UNLINK >/dev/null
	done
fi
for key in "${!REF_RPS[@]}"; do RPS["ref $key"]=${REF_RPS[$key]}; done

# ---------------------------------------------------------------------------- the tables
{
	echo
	printf '%-8s %-10s %9s %8s %8s %7s %6s %8s %6s  %s\n' mode scenario rps p50_ms p99_ms non2xx 503s sock_err other% notes
	for key in "${ROWS[@]}"; do
		printf '%-8s %-10s %9.0f %8s %8s %7s %6s %8s %6s  %s\n' "${key%% *}" "${key#* }" "${RPS[$key]}" "${P50[$key]}" \
			"${P99[$key]}" "${NON2XX[$key]}" "${E503[$key]}" "${SOCK[$key]}" "${OTHER[$key]}" "${NOTE[$key]}"
	done
	echo "(non2xx: wrk's answers >= 400; 503s: the server's own count of 503 answers during the run, each"
	echo " a WAIT that timed out, no write connection within 2 s, or Redis unreachable; other% = CPU used"
	echo " by processes other than this script, wrk, the JVM and the redis-servers, in % of all cores)"
	echo
	printf '%-10s %9s %9s %9s %9s %15s %14s %16s\n' scenario memory cluster single postgres cluster/memory \
		single/memory cluster/postgres
	for scenario in noop status redeem generate redeem-64; do
		printf '%-10s %9s %9s %9s %9s %15s %14s %16s\n' "$scenario" "$(rps_or_dash "memory $scenario")" \
			"$(rps_or_dash "cluster $scenario")" "$(rps_or_dash "single $scenario")" \
			"$(rps_or_dash "postgres $scenario")" "$(ratio "cluster $scenario" "memory $scenario")" \
			"$(ratio "single $scenario" "memory $scenario")" "$(ratio "cluster $scenario" "postgres $scenario")"
	done
	if ((${#REF_ROWS[@]} > 0)); then
		echo
		echo "Redis alone: one master ($REF_MASTER) of the 3+3 cluster, $CONNECTIONS connections, random keys of one hash tag"
		printf '%-32s %9s %8s %8s  %s\n' reference rps p50_ms p99_ms notes
		for key in "${REF_ROWS[@]}"; do
			printf '%-32s %9.0f %8s %8s  %s\n' "$key" "${REF_RPS[$key]}" "${REF_P50[$key]}" "${REF_P99[$key]}" "${REF_NOTE[$key]}"
		done
		printf '%-32s %9s\n' "RespLoad SET / redis-benchmark SET" "$(ratio 'ref RespLoad SET' 'ref redis-benchmark SET')"
		echo
		printf '%-52s %6s %6s\n' 'ratio (Redis mode / Redis alone)' cluster single
		for pair in "status|redis-benchmark GET" "redeem|redis-benchmark EVALSHA" "redeem|RespLoad EVALSHA+WAIT 1" \
			"generate|RespLoad EVALSHA+WAIT 1" "redeem-64|RespLoad EVALSHA+WAIT 1"; do
			scenario=${pair%%|*}
			ref=${pair#*|}
			printf '%-52s %6s %6s\n' "$scenario / $ref" "$(ratio "cluster $scenario" "ref $ref")" "$(ratio "single $scenario" "ref $ref")"
		done
		echo "(Redis alone runs on one master with all of both cores; the service spreads its keys over"
		echo " three masters and shares the cores with the JVM and wrk: the ratios bound how much of"
		echo " Redis's own capacity the service turns into requests, they are not a per-master figure)"
	fi
	echo
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "took ${SECONDS}s; raw output: $RESULTS"
} | tee -a "$RESULTS/summary.txt"
