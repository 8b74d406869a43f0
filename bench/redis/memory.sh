#!/usr/bin/env bash
# Redis memory per coupon in the service's Redis Cluster mode: used_memory (INFO memory)
# summed over the masters, and over the replicas, before and after the service generates N
# coupons of one campaign (so the per-campaign indexes and counters exist), and again after
# it redeems half of them with a reference (so the status indexes move and the events
# lists exist); then a breakdown by key kind from MEMORY USAGE.
#
# Usage:  bench/redis/memory.sh                        # 100,000 coupons, half redeemed: ~1 min
#         BUILD=0 N=10000 bench/redis/memory.sh        # smoke run
#         N=1000000 bench/redis/memory.sh              # ~3-4 min on 2 cores
#         REDIS_NODES=127.0.0.1:7000 bench/redis/memory.sh   # a cluster already running
#                                                      # (bench/redis/cluster.sh start)
#
# Without REDIS_NODES it starts its own cluster of 3 masters + 3 replicas
# (bench/redis/cluster.sh's settings) on BASE_PORT..BASE_PORT+5 in a temporary directory
# and removes it at the end. With REDIS_NODES (127.0.0.1 only) it leaves the cluster as it
# found it, apart from the coupons it made: measure on an idle cluster, since every other
# write moves used_memory too. The service (profiles bench,redis, rate limits off, so no
# bucket keys) generates through POST /generate-coupons (10,000 a request) and redeems
# through wrk (bench/redis/redeem-once.lua, each code once, with "reference":"order-<n>").
#
# Printed: used_memory before and after each step, and its "data" part (used_memory minus
# the client, replication and AOF buffers, which follow the traffic, not the coupons
# stored: up to ~2 MB a master), bytes per coupon on the masters and on the replicas, the extrapolation to 1,000,000 coupons (masters; masters + replicas), and
# per key kind (c: coupon hash, e: events list, the 1024 shards' index sorted sets and
# campaign counters): keys, MEMORY USAGE per key (exact for the kinds with fewer than
# SAMPLE_ALL keys, else the mean of SAMPLE random keys), its total and its share per
# coupon. MEMORY USAGE counts a key and its value, not the keyspace's own dict entries
# nor allocator slack: that is the "not in MEMORY USAGE" line.
#
# Small N overstates the bytes per coupon: the 1024 shards' index keys (all, st:<status>,
# ca:<campaign>, nc:<campaign>) are a fixed cost of about 4 x 1024 keys, and the figures
# move by a few 100 KB between steps whatever N is. Use N=100000 or more for a figure.
#
# Environment (all optional):
#   N=100000        coupons to generate
#   REDEEM=1        redeem half of them (0: only generate)
#   CAMPAIGN=memory-bench   their campaign (empty: none, so no campaign index/counter)
#   TTL=            e.g. P30D: an expiry on each (adds the expiry indexes xp, xc:<campaign>)
#   REDIS_NODES     an existing cluster's seed nodes (default: start one)
#   BASE_PORT=7200  first port of the cluster this script starts
#   KEY_PREFIX      coupon.redis.key-prefix (default the service's, "coupon:")
#   SAMPLE=300 SAMPLE_ALL=5000   MEMORY USAGE sample size, and the count below which every
#                   key of a kind is measured
#   JAVA_HOME BENCH_JVM_FLAGS SERVER_ARGS BUILD=0 JAR=path   as bench/redis/run.sh
#   RESULTS=dir     default bench/results/redis-memory-<time>
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/redis"
export BENCH_HTTP_DIR="$ROOT/bench/http"
export BENCH_PG_DIR="$ROOT/bench/postgres"

N=${N:-100000}
REDEEM=${REDEEM:-1}
CAMPAIGN=${CAMPAIGN-memory-bench}
TTL=${TTL:-}
GIVEN_NODES=${REDIS_NODES:-}
BASE_PORT=${BASE_PORT:-7200}
KEY_PREFIX=${KEY_PREFIX:-}
SAMPLE=${SAMPLE:-300}
SAMPLE_ALL=${SAMPLE_ALL:-5000}
DEFAULT_JVM_FLAGS=$(grep -v '^#' "$ROOT/bench/jvm-flags" | tr '\n' ' ' | sed 's/  */ /g; s/ $//')
BENCH_JVM_FLAGS=${BENCH_JVM_FLAGS-$DEFAULT_JVM_FLAGS}
SERVER_ARGS=${SERVER_ARGS:-}
BUILD=${BUILD:-1}
RESULTS=${RESULTS:-$ROOT/bench/results/redis-memory-$(date +%Y%m%dT%H%M%S)}
if [[ -z ${JAVA_HOME:-} && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
	JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=bench/redis/cluster.sh
source "$HERE/cluster.sh"
say() { log "[$(printf '%3d s' "$SECONDS")] $*"; }

((N >= 2)) || { log "N must be at least 2"; exit 1; }
for tool in curl wrk redis-server redis-cli; do
	command -v "$tool" >/dev/null || { log "$tool is required"; exit 1; }
done

WORK=$(mktemp -d /tmp/coupon-redis-memory.XXXXXX)
WRK_PID=
cleanup_memory() {
	if [[ -n $WRK_PID ]]; then kill "$WRK_PID" 2>/dev/null || true; fi
	redis_stop_cluster "$WORK/cluster" || true
	rm -rf "$WORK"
}
CLEANUPS+=(cleanup_memory)

mkdir -p "$RESULTS"
cd "$ROOT"
find_jar

# ---------------------------------------------------------------------------- the cluster
if [[ -n $GIVEN_NODES ]]; then
	[[ $GIVEN_NODES =~ ^(127\.0\.0\.1:[0-9]+)(,127\.0\.0\.1:[0-9]+)*$ ]] ||
		{ log "REDIS_NODES must be 127.0.0.1:PORT,...; this script only measures a local cluster"; exit 1; }
	NODES=$GIVEN_NODES
	SEED=${NODES%%,*}
	SEED=${SEED##*:}
else
	say "starting a Redis Cluster of 3 masters + 3 replicas on ports $BASE_PORT-$((BASE_PORT + 5))"
	redis_start_cluster "$WORK/cluster" "$BASE_PORT" 1 3
	NODES=$REDIS_CLUSTER_NODES
	SEED=$BASE_PORT
fi
mapfile -t MASTERS < <(redis_masters "$SEED")
mapfile -t REPLICAS < <(redis_replicas "$SEED")
((${#MASTERS[@]} > 0)) || { log "no master serves slots (seed 127.0.0.1:$SEED)"; exit 1; }
REPLICAS_PER_MASTER=$(((${#REPLICAS[@]} + ${#MASTERS[@]} - 1) / ${#MASTERS[@]}))

# used_memory, and what of it the data holds: used_memory minus the client buffers (the
# service's connections, its 16 write connections a master) and the replication buffers
# (backlog up to 1 MB a master, 7.0's shared replica buffers) and the AOF buffer, which
# grow and shrink with the traffic, not with the coupons stored.
memory_sum() {   # memory_sum STEP NODES...: "used data", summed over the nodes (host:port)
	local step=$1 node used=0 data=0 u d
	shift
	for node in "$@"; do
		redis_cli "${node##*:}" INFO memory >"$RESULTS/info-memory-$step-${node##*:}.txt"
		read -r u d < <(awk -F: '
			$1 == "used_memory" { u = $2 }
			$1 ~ /^mem_(clients_normal|clients_slaves|total_replication_buffers|aof_buffer)$/ { b += $2 }
			END { printf "%d %d\n", u, u - b }' "$RESULTS/info-memory-$step-${node##*:}.txt")
		used=$((used + u))
		data=$((data + d))
	done
	echo "$used $data"
}
keys_sum() {   # keys of db0 over the nodes
	local node s=0 v
	for node in "$@"; do
		v=$(redis_cli "${node##*:}" INFO keyspace | sed -n 's/^db0:keys=\([0-9]*\),.*/\1/p')
		s=$((s + ${v:-0}))
	done
	echo "$s"
}
# Let the replicas catch up and any fork finish, so that both sides are measured at rest.
quiesce() {
	local i node port lagging
	for i in $(seq 1 120); do
		lagging=0
		for node in "${MASTERS[@]}"; do
			port=${node##*:}
			redis_cli "$port" INFO persistence | grep -q '^aof_rewrite_in_progress:1' && lagging=1
			# every replica's offset equals the master's
			redis_cli "$port" INFO replication | awk -F'[:,=]' '
				/^master_repl_offset:/ { m = $2 } /^slave[0-9]*:/ { for (i = 1; i < NF; i++) if ($i == "offset") o[++n] = $(i + 1) }
				END { for (k = 1; k <= n; k++) if (o[k] != m) exit 1 }' || lagging=1
		done
		((lagging == 0)) && break
		sleep 0.5
	done
	sleep 1
}
declare -A MEM_M MEM_R RAW_M RAW_R KEYS_M
snapshot() {   # snapshot NAME
	quiesce
	read -r "RAW_M[$1]" "MEM_M[$1]" < <(memory_sum "$1" "${MASTERS[@]}")
	if ((${#REPLICAS[@]} > 0)); then
		read -r "RAW_R[$1]" "MEM_R[$1]" < <(memory_sum "$1" "${REPLICAS[@]}")
	else
		RAW_R[$1]=0 MEM_R[$1]=0
	fi
	KEYS_M[$1]=$(keys_sum "${MASTERS[@]}")
	say "$1: masters used_memory ${RAW_M[$1]} B (data ${MEM_M[$1]}), replicas ${RAW_R[$1]} B (data ${MEM_R[$1]}), keys ${KEYS_M[$1]}"
}

# ---------------------------------------------------------------------------- the service
prefix_args=()
if [[ -n $KEY_PREFIX ]]; then prefix_args=("--coupon.redis.key-prefix=$KEY_PREFIX"); fi
PREFIX=${KEY_PREFIX:-coupon:}
# shellcheck disable=SC2086  # flag lists are meant to split
REDIS_NODES=$NODES start_server "$RESULTS/server.log" "$JAVA" $BENCH_JVM_FLAGS -jar "$JAR" \
	--spring.profiles.active=bench,redis --server.address=127.0.0.1 --server.port=0 \
	--coupon.rate-limit.redeem.capacity=0 --coupon.rate-limit.status.capacity=0 \
	--coupon.rate-limit.redeem.network-capacity=0 --coupon.rate-limit.status.network-capacity=0 \
	"${prefix_args[@]}" $SERVER_ARGS

snapshot before
fields=
if [[ -n $CAMPAIGN ]]; then fields+=",\"campaign\":\"$CAMPAIGN\""; fi
if [[ -n $TTL ]]; then fields+=",\"ttl\":\"$TTL\""; fi
say "generating $N coupons (${fields#,})"
make_codes "$N" "$WORK/codes.txt" "$fields"
snapshot generated

HALF=$((N / 2))
if [[ $REDEEM == 1 ]]; then
	head -n "$HALF" "$WORK/codes.txt" >"$WORK/redeem.txt"
	before=$(metric coupon_redemptions_total 'outcome="redeemed"')
	say "redeeming $HALF of them, each once, with a reference (wrk -t2 -c16)"
	wrk -t2 -c16 -d600s --timeout 10s -s "$HERE/redeem-once.lua" "$BASE" -- "$WORK/redeem.txt" 2 >"$RESULTS/wrk-redeem.txt" 2>&1 &
	WRK_PID=$!
	done_count=0
	last_count=-1
	still=0
	while kill -0 "$WRK_PID" 2>/dev/null; do
		done_count=$(($(metric coupon_redemptions_total 'outcome="redeemed"') - before))
		((done_count >= HALF)) && break
		# Stalled for 10 s (requests failing, codes lost): stop and report what was done.
		if ((done_count == last_count)); then still=$((still + 1)); else still=0; fi
		((still < 20)) || break
		last_count=$done_count
		sleep 0.5
	done
	kill -INT "$WRK_PID" 2>/dev/null || true   # wrk prints its summary and exits
	wait "$WRK_PID" || true
	WRK_PID=
	done_count=$(($(metric coupon_redemptions_total 'outcome="redeemed"') - before))
	((done_count > 0)) || { log "nothing was redeemed; see $RESULTS/wrk-redeem.txt and $RESULTS/server.log"; exit 1; }
	if ((done_count != HALF)); then
		log "WARNING: redeemed $done_count of $HALF (see $RESULTS/wrk-redeem.txt); the figures use $done_count"
	fi
	HALF=$done_count
	non2xx=$(sed -n 's/^WRK_RESULT.* non2xx=\([0-9]*\).*/\1/p' "$RESULTS/wrk-redeem.txt")
	((${non2xx:-0} == 0)) || log "WARNING: $non2xx redeem answers were not 2xx (see $RESULTS/server.log)"
	snapshot redeemed
fi
stop_server

# ---------------------------------------------------------------------------- by key kind
# Every key of ours on each master (redis-cli --scan), classified by what follows the
# shard tag: <prefix>{AB}:<kind>...
say "MEMORY USAGE by key kind (SCAN of the masters)"
: >"$WORK/keys.txt"
for node in "${MASTERS[@]}"; do
	redis-cli -h 127.0.0.1 -p "${node##*:}" --scan --pattern "$PREFIX{*" | sed "s/^/${node##*:} /" >>"$WORK/keys.txt"
done
# Kinds: c (coupon hash), e (events list), all, st:<status>, ca, cu (index zsets), xp, xc
# (expiry zsets), nc (campaign counts hash).
awk -v p="$PREFIX" '{
	k = substr($2, length(p) + 1); sub(/^\{[^}]*\}:/, "", k)
	if (k ~ /^st:/) kind = k
	else if (k == "all" || k == "xp") kind = k
	else if (k ~ /^(c|e|ca|cu|xc|nc):/) kind = substr(k, 1, index(k, ":") - 1)
	else kind = "other"
	print kind, $1, $2
}' "$WORK/keys.txt" >"$WORK/kinds.txt"
describe() {
	case $1 in
		c) echo "c:<code> coupon hash" ;;
		e) echo "e:<code> events list" ;;
		all) echo "all index zset" ;;
		st:*) echo "$1 index zset" ;;
		ca) echo "ca:<campaign> index zset" ;;
		cu) echo "cu:<customer> index zset" ;;
		xp) echo "xp expiry zset" ;;
		xc) echo "xc:<campaign> expiry zset" ;;
		nc) echo "nc:<campaign> counts hash" ;;
		*) echo "other" ;;
	esac
}
declare -A KIND_KEYS KIND_AVG KIND_TOTAL
KINDS=()
usage_sum=0
while read -r kind count; do
	if ((count <= SAMPLE_ALL)); then
		grep "^$kind " "$WORK/kinds.txt" >"$WORK/sample.txt" || true
	else
		grep "^$kind " "$WORK/kinds.txt" | shuf -n "$SAMPLE" >"$WORK/sample.txt" || true
	fi
	sampled=0
	bytes=0
	mapfile -t ports < <(awk '{ print $2 }' "$WORK/sample.txt" | sort -u)
	for port in "${ports[@]}"; do
		# SAMPLES 0: every element of a hash, list or sorted set, not an estimate
		read -r n b < <(awk -v port="$port" '$2 == port { print "MEMORY USAGE", $3, "SAMPLES", 0 }' "$WORK/sample.txt" |
			redis-cli -h 127.0.0.1 -p "$port" | awk '{ n++; s += $1 } END { printf "%d %d\n", n, s }')
		sampled=$((sampled + n))
		bytes=$((bytes + b))
	done
	((sampled > 0)) || continue
	KINDS+=("$kind")
	KIND_KEYS[$kind]=$count
	KIND_AVG[$kind]=$(awk -v b="$bytes" -v n="$sampled" 'BEGIN { printf "%.1f", b / n }')
	KIND_TOTAL[$kind]=$(awk -v a="${KIND_AVG[$kind]}" -v c="$count" 'BEGIN { printf "%d", a * c }')
	usage_sum=$((usage_sum + KIND_TOTAL[$kind]))
done < <(awk '{ print $1 }' "$WORK/kinds.txt" | sort | uniq -c | awk '{ print $2, $1 }' | sort -k2,2nr)

# ---------------------------------------------------------------------------- the report
last=generated
if [[ $REDEEM == 1 ]]; then last=redeemed; fi
per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f", (b - a) / n }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
{
	echo "date:        $(date -u +%FT%TZ)"
	echo "commit:      $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "redis:       $(redis-server --version | cut -d' ' -f3); masters ${MASTERS[*]}; replicas ${REPLICAS[*]:-none}"
	echo "coupons:     $N (fields: ${fields#,}); redeemed: $([[ $REDEEM == 1 ]] && echo "$HALF, each once with a reference" || echo none)"
	echo
	echo "used_memory summed over the nodes; data = used_memory minus client, replication and AOF buffers"
	printf '%-12s %16s %14s %16s %14s %10s\n' step 'masters used' 'masters data' 'replicas used' 'replicas data' 'keys'
	for step in before generated redeemed; do
		[[ -n ${MEM_M[$step]:-} ]] || continue
		printf '%-12s %16s %14s %16s %14s %10s\n' "$step" "${RAW_M[$step]}" "${MEM_M[$step]}" "${RAW_R[$step]}" "${MEM_R[$step]}" "${KEYS_M[$step]}"
	done
	echo
	printf '%-44s %8s %9s %13s\n' 'bytes per coupon (data delta / N)' masters replicas '(used_memory)'
	printf '%-44s %8s %9s %13s\n' "after generating $N" "$(per "${MEM_M[before]}" "${MEM_M[generated]}" "$N")" \
		"$(per "${MEM_R[before]}" "${MEM_R[generated]}" "$N")" "$(per "${RAW_M[before]}" "${RAW_M[generated]}" "$N")"
	if [[ $REDEEM == 1 ]]; then
		printf '%-44s %8s %9s %13s\n' "after redeeming $HALF of them" "$(per "${MEM_M[before]}" "${MEM_M[redeemed]}" "$N")" \
			"$(per "${MEM_R[before]}" "${MEM_R[redeemed]}" "$N")" "$(per "${RAW_M[before]}" "${RAW_M[redeemed]}" "$N")"
		printf '%-44s %8s %9s %13s\n' "  a redemption adds (per redeemed coupon)" "$(per "${MEM_M[generated]}" "${MEM_M[redeemed]}" "$HALF")" \
			"$(per "${MEM_R[generated]}" "${MEM_R[redeemed]}" "$HALF")" "$(per "${RAW_M[generated]}" "${RAW_M[redeemed]}" "$HALF")"
	fi
	echo
	m=$(awk -v a="${MEM_M[before]}" -v b="${MEM_M[$last]}" -v n="$N" 'BEGIN { printf "%d", (b - a) / n * 1000000 }')
	r=$(awk -v a="${MEM_R[before]}" -v b="${MEM_R[$last]}" -v n="$N" 'BEGIN { printf "%d", (b - a) / n * 1000000 }')
	echo "1,000,000 coupons like these ($last state):"
	echo "  on the masters:                        $(mb "$m") MB (over ${#MASTERS[@]} masters: $(mb $((m / ${#MASTERS[@]}))) MB each)"
	echo "  with $REPLICAS_PER_MASTER replica(s) per master (measured):    $(mb $((m + r))) MB"
	echo "  masters x (1 + $REPLICAS_PER_MASTER):                     $(mb $((m * (1 + REPLICAS_PER_MASTER)))) MB"
	echo
	echo "by key kind (masters, $last state; MEMORY USAGE ... SAMPLES 0: exact up to $SAMPLE_ALL keys a kind, else the mean of $SAMPLE)"
	printf '%-28s %10s %12s %12s %12s\n' kind keys 'B per key' 'total MB' 'B per coupon'
	for kind in "${KINDS[@]}"; do
		printf '%-28s %10s %12s %12s %12s\n' "$(describe "$kind")" "${KIND_KEYS[$kind]}" "${KIND_AVG[$kind]}" \
			"$(mb "${KIND_TOTAL[$kind]}")" "$(awk -v t="${KIND_TOTAL[$kind]}" -v n="$N" 'BEGIN { printf "%.1f", t / n }')"
	done
	delta=$((MEM_M[$last] - MEM_M[before]))
	printf '%-28s %10s %12s %12s %12s\n' "sum of MEMORY USAGE" "" "" "$(mb "$usage_sum")" \
		"$(awk -v t="$usage_sum" -v n="$N" 'BEGIN { printf "%.1f", t / n }')"
	printf '%-28s %10s %12s %12s %12s\n' "not in MEMORY USAGE" "" "" "$(mb $((delta - usage_sum)))" \
		"$(awk -v t="$((delta - usage_sum))" -v n="$N" 'BEGIN { printf "%.1f", t / n }')"
	echo "(keyspace dict entries and buckets, allocator rounding; keys that existed before the run"
	echo " (another campaign's, a shard's 'all' index) count whole in MEMORY USAGE but only"
	echo " their growth in the delta)"
	echo
	echo "took ${SECONDS}s; server log and wrk output: $RESULTS"
} | tee "$RESULTS/summary.txt"
