#!/usr/bin/env bash
# PostgreSQL-mode throughput of the coupon service beside what PostgreSQL alone does, in
# one run, on this machine, 127.0.0.1 only.
#
# Usage:  bench/postgres/run.sh                       # build, then everything: 4.5-6.5 min
#         DURATION=3 WARMUP=2 bench/postgres/run.sh   # smoke run, about 2-3 min
#         WARMUP=30 bench/postgres/run.sh             # settled JIT (see WARMUP below)
#         BUILD=0 PHASES="pgbench" bench/postgres/run.sh   # only the pgbench figures
#
# It starts a private PostgreSQL 15 (Debian's /usr/lib/postgresql/15/bin; installed with
# apt-get if missing, which on a fresh box also creates and starts Debian's own 15/main
# cluster: the package does that, and this script never uses or touches it): initdb into a new temporary directory, run as the "postgres" OS
# user when we are root (initdb refuses root), listening on a free port of 127.0.0.1 and
# on a unix socket in that directory; settings in bench/postgres/postgresql.conf
# (fsync and synchronous_commit on, as the service's durable 200s need). Never the
# system's own cluster. It creates a database and a user for the service; the service's
# Flyway migrations create the schema. Then four phases, each against that one server:
#
#   limits-off    the jar (profiles bench,postgres) with the rate limits off
#                 (capacity 0), wrk -t2 -c64 from 127.0.0.1:
#                   noop      GET /noop (no database)
#                   status    GET /coupon-status of STATUS_CODES known codes, in turn
#                   redeem    POST /redeem-coupon of fresh codes, each exactly once
#                             (redeem-fresh.lua), so that every request changes a row,
#                             as every transaction of pgbench's update.sql does
#                   generate  POST /generate-coupon {}
#   pgbench       PostgreSQL alone, the same statements on the same table, with the
#                 service stopped: pgbench -n -M prepared -T DURATION -j 2 over TCP to
#                 127.0.0.1 as the service's user (the service connects the same way):
#                   update c64, update c10   update.sql: the redemption's UPDATE ...
#                             RETURNING, each transaction on a fresh row (see update.sql
#                             and setup.sql). 64 clients as wrk's 64 connections; 10 as
#                             the service's Hikari pool, i.e. the number of sessions
#                             PostgreSQL really sees from the service
#                   redeem c64  redeem.sql: the service's whole redemption statement
#                             (the UPDATE, its event INSERT and the trim), fresh rows too
#                   select c64  select.sql: the status lookup's primary-key SELECT
#   limits-on-64  the default limits with capacity raised to 10^9 (nobody gets 429), the
#                 proxy trusted (PROXY_ARGS), and every request from one of 64 clients
#                 (X-Forwarded-For: 198.51.100.1-64): redeem of fresh codes, status.
#                 Each request now also spends a token of a bucket row in PostgreSQL.
#   hot-client    the default limits (5 redemptions and 60 lookups a minute per client)
#                 and the proxy trusted. Design: a per-address capacity cannot be raised
#                 for some addresses only, so the quiet clients stay under the default
#                 budget by sending little each, and there are many of them:
#                   quiet   wrk -t1 -c63 (quiet.lua): redeem of a fresh code, then
#                           status of a known code, in turn; pair k comes from address
#                           k mod A of 198.18.0.0/15 (the range RFC 2544 reserves for
#                           benchmarks), A = pairs / QUIET_USES, so no address sends more
#                           than QUIET_USES (4) redemptions and 4 lookups in the run,
#                           whatever its speed: no quiet request can get a 429. Its
#                           63 connections are the 63 other clients of 64; each request
#                           costs what a real customer's does (a new bucket row a quarter
#                           of the time, then updates of it).
#                   hot     wrk -t1 -c16 (hot.lua): one address (HOT_ADDRESS) guessing
#                           codes (redeem, status, in turn) as fast as 16 connections go.
#                           16 is more than the service's 10 database connections: if a
#                           rejected request held a connection while it queued for its
#                           bucket row's lock, the flood could take the whole pool and
#                           the quiet clients would get 503s after the 2 s pool timeout.
#                 Measured: quiet alone, quiet with the hot client flooding, quiet alone
#                 again (the mean of the two alone runs is the baseline, so JIT warm-up
#                 drift does not favour either side). Reported: quiet rps each time and
#                 the ratio, 503s (must be 0), the hot client's answers and the share of
#                 them that were 429s.
#
# Every phase that runs the service first warms up each of its scenarios (WARMUP s
# each), then measures each for DURATION s; pgbench warms up with one WARMUP-second update
# run. Before every measured run the script runs VACUUM (ANALYZE) and CHECKPOINT, so every
# run, service or pgbench, starts from the same table and WAL state (no dead rows from the
# run before, no checkpoint due). After each redeem run it checks from the service's
# metrics that no request was a repeat (coupon_redemptions_total{outcome=
# "already_redeemed"} unchanged); after each pgbench update run, that the run changed
# exactly one row per transaction. A fresh code list that runs out shows up there.
#
# At the end it prints one table: each figure (rps or tps, p50, p99, non-2xx, socket
# errors) and the ratios the project targets:
#   redeem / pgbench update c64, status / pgbench select c64, generate / pgbench update c64,
#   limits-on-64 / limits-off for redeem and status, quiet with flood / quiet alone.
# Server logs, raw wrk and pgbench output, the PostgreSQL log and the code lists go to
# RESULTS (bench/results/postgres-<time>/, git-ignored). The JVM, wrk and PostgreSQL are
# stopped and the temporary directory removed on any exit (bench/lib.sh's stop_server and
# this script's EXIT trap); every wrk and pgbench run is bounded by DURATION or WARMUP.
#
# Environment (all optional):
#   JAVA_HOME       JDK of the server (default /usr/lib/jvm/temurin-25-jdk-amd64 if present,
#                   else java on PATH)
#   BENCH_JVM_FLAGS JVM flags of the server (default: bench/jvm-flags, the recommended set)
#   SERVER_ARGS     extra Spring Boot arguments for every server start
#   PROXY_ARGS      the arguments that make the server trust X-Forwarded-For from
#                   127.0.0.1 (limits-on-64 and hot-client); see below
#   BUILD=0         use the existing target/*.jar instead of building
#   JAR=path        run this jar instead (an older build, to compare before and after)
#   DURATION=10     seconds of each measured run   WARMUP=5  seconds of each warm-up
#                   (each phase starts a new JVM; on 2 cores its JIT is still compiling
#                   after 4 x 5 s: GET /noop went from 3k to 18k rps over its first 60 s
#                   of load here, so the default figures are those of a young JVM)
#   PHASES="limits-off pgbench limits-on-64 hot-client"   which phases, in this order
#   THREADS=2 CONNECTIONS=64    wrk threads and connections (limits-off, limits-on-64)
#   CLIENTS=64                  client addresses of limits-on-64 (at most 254)
#   QUIET_CONNECTIONS=63 HOT_CONNECTIONS=16 HOT_ADDRESS=203.0.113.66 QUIET_USES=4  hot-client
#   STATUS_CODES=20000          known codes for status (and rows for pgbench's select)
#   CODES_PER_SEC=6000          fresh codes made per second of a redeem run (warm-up or
#                               measured): more than the service redeems per second
#   QUIET_PAIRS_PER_SEC=3000    the same for the quiet clients (redeem + status pairs)
#   PGBENCH_ROWS_PER_SEC=15000  rows loaded per second of a pgbench update run, per run
#   PGBENCH_THREADS=2           pgbench -j
#   WRK_TIMEOUT=10s             wrk's --timeout: longer than the service's 2 s database
#                               timeout, so a 503 arrives as a response, not a wrk timeout
#   PG_BIN=/usr/lib/postgresql/15/bin
#   RESULTS=dir                 default bench/results/postgres-<time>
#   JFR=scenario                record a JFR profile (settings "profile") of that limits-off
#                               scenario's measured run into RESULTS/<scenario>.jfr and print
#                               its hottest frames (bench/http/jfr-top.sh), as bench/http does
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export BENCH_HTTP_DIR="$ROOT/bench/http"
export BENCH_PG_DIR="$ROOT/bench/postgres"

DEFAULT_JVM_FLAGS=$(grep -v '^#' "$ROOT/bench/jvm-flags" | tr '\n' ' ' | sed 's/  */ /g; s/ $//')
BENCH_JVM_FLAGS=${BENCH_JVM_FLAGS-$DEFAULT_JVM_FLAGS}
SERVER_ARGS=${SERVER_ARGS:-}
# Trust X-Forwarded-For from the load generator's address only.
PROXY_ARGS=${PROXY_ARGS-'--coupon.security.trusted-proxies=127.0.0.1/32'}
BUILD=${BUILD:-1}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
PHASES=${PHASES:-limits-off pgbench limits-on-64 hot-client}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
CLIENTS=${CLIENTS:-64}
QUIET_CONNECTIONS=${QUIET_CONNECTIONS:-63}
HOT_CONNECTIONS=${HOT_CONNECTIONS:-16}
HOT_ADDRESS=${HOT_ADDRESS:-203.0.113.66}
QUIET_USES=${QUIET_USES:-4}
STATUS_CODES=${STATUS_CODES:-20000}
CODES_PER_SEC=${CODES_PER_SEC:-6000}
QUIET_PAIRS_PER_SEC=${QUIET_PAIRS_PER_SEC:-3000}
PGBENCH_ROWS_PER_SEC=${PGBENCH_ROWS_PER_SEC:-15000}
PGBENCH_THREADS=${PGBENCH_THREADS:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
RESULTS=${RESULTS:-$ROOT/bench/results/postgres-$(date +%Y%m%dT%H%M%S)}
if [[ -z ${JAVA_HOME:-} && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
	JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# n times this odd number modulo 2^40 picks row n's code (setup.sql, update.sql, select.sql).
SCATTER='(n * 25214903917) % 1099511627776'

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# shellcheck source=bench/postgres/private.sh
source "$BENCH_PG_DIR/private.sh"

has_phase() { [[ " $PHASES " == *" $1 "* ]]; }
elapsed() { printf '%3d s' "$SECONDS"; }
say() { log "[$(elapsed)] $*"; }

# ---------------------------------------------------------------------------- tools
if ! command -v wrk >/dev/null; then
	log "wrk not found; installing it (apt-get install -y wrk)"
	apt-get install -y wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y wrk >/dev/null; }
fi
command -v curl >/dev/null || { log "curl is required"; exit 1; }
if ((CLIENTS < 1 || CLIENTS > 254)); then log "CLIENTS must be 1..254"; exit 1; fi

mkdir -p "$RESULTS"
cd "$ROOT"
find_jar

# ---------------------------------------------------------------------------- PostgreSQL
start_private_postgres

# VACUUM and CHECKPOINT before every measured run: each starts without the dead rows of
# the run before and with no checkpoint due.
settle() {
	pg_admin -d "$PG_DB" -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT'
}

# ---------------------------------------------------------------------------- the service
JFR=${JFR:-}
JFR_FLAGS=
if [[ -n $JFR ]]; then   # see bench/http/run.sh: a primer recording from launch, then the profile
	JFR_FLAGS="-XX:StartFlightRecording=name=primer,settings=profile,maxage=2m -XX:FlightRecorderOptions:stackdepth=256"
fi
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
start_service() {   # start_service NAME [Spring Boot arguments...]
	local jfr_flags=
	if [[ $1 == limits-off ]]; then jfr_flags=$JFR_FLAGS; fi
	# shellcheck disable=SC2086  # flag lists are meant to split
	POSTGRES_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB" POSTGRES_USER=$PG_USER POSTGRES_PASSWORD=$PG_PASSWORD \
		start_server "$RESULTS/server-$1.log" "$JAVA" $BENCH_JVM_FLAGS $jfr_flags -jar "$JAR" --spring.profiles.active=bench,postgres \
		--server.address=127.0.0.1 --server.port=0 "${@:2}" $SERVER_ARGS
}

repeats() { metric coupon_redemptions_total 'outcome="already_redeemed"'; }
count_503() { metric http_server_requests_seconds_count 'status="503"'; }

# wrk in the foreground (run_wrk) or in the background (run_wrk_bg, then wait_wrk, which
# checks every run started since the last wait_wrk); same arguments:
#   OUTFILE THREADS CONNECTIONS SECONDS LUA [LUA ARGUMENTS...]
WRK_OUTS=()
run_wrk_bg() {
	local out=$1 threads=$2 connections=$3 seconds=$4 script=$5
	shift 5
	local args=(-t"$threads" -c"$connections" -d"${seconds}s" --timeout "$WRK_TIMEOUT" --latency -s "$script" "$BASE")
	if (($# > 0)); then args+=(-- "$@"); fi
	wrk "${args[@]}" >"$out" 2>&1 &
	WRK_PIDS+=($!)
	WRK_OUTS+=("$out")
}
wait_wrk() {
	local i failed=0
	for i in "${!WRK_PIDS[@]}"; do
		if ! wait "${WRK_PIDS[$i]}"; then
			log "wrk failed (${WRK_OUTS[$i]}):"; cat "${WRK_OUTS[$i]}" >&2; failed=1
		elif ! grep -q '^WRK_RESULT' "${WRK_OUTS[$i]}"; then
			log "no WRK_RESULT line in ${WRK_OUTS[$i]}"; cat "${WRK_OUTS[$i]}" >&2; failed=1
		fi
	done
	WRK_PIDS=()
	WRK_OUTS=()
	server_alive
	((failed == 0)) || exit 1
}
run_wrk() {
	run_wrk_bg "$@"
	wait_wrk
}
field() { sed -n "s/^WRK_RESULT.* $2=\([^ ]*\).*/\1/p" "$1"; }

# The machine is shared: how much CPU did processes other than ours (this script and its
# children: wrk, pgbench, curl; the JVM; PostgreSQL and its backends) use during a run?
# cpu_mark before and cpu_other after a run: the share of both cores, in per cent, that
# went elsewhere. Over 5 % means the run measured a busy machine.
cpu_jiffies() {   # "busy total ours" from /proc
	local pm=0
	if [[ -n $PG_TMP && -f $PG_TMP/data/postmaster.pid ]]; then pm=$(head -n 1 "$PG_TMP/data/postmaster.pid"); fi
	awk '/^cpu / { printf "%d %d ", $2 + $3 + $4 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
	# /proc/PID/stat after "PID (comm) ": 2 ppid, 12 utime, 13 stime, 14 cutime, 15 cstime
	for f in /proc/[0-9]*/stat; do cat "$f" 2>/dev/null && echo; done | awk -v self=$$ -v jvm="${SERVER_PID:-0}" -v pm="$pm" '
		{ pid = $1; sub(/^[^(]*\(.*\) /, ""); }
		pid == self { s += $14 + $15 }              # children waited for: wrk, pgbench, curl, ...
		pid == jvm { s += $12 + $13 }
		pid == pm { s += $12 + $13 + $14 + $15 }    # postmaster and the backends it reaped
		pid != pm && $2 == pm { s += $12 + $13 }    # live backends
		END { printf "%d\n", s }'
}
CPU_MARK=

# ---------------------------------------------------------------------------- figures
declare -A RPS P50 P99 NON2XX SOCK NOTE OTHER
PHASE_503=   # 503s answered while each server ran (every 503 is a failure of this benchmark)
ROWS=()   # table rows in order
record_wrk() {   # record_wrk KEY OUTFILE [NOTE]
	local key=$1 out=$2
	RPS[$key]=$(field "$out" rps)
	P50[$key]=$(awk -v us="$(field "$out" p50_us)" 'BEGIN { printf "%.2f", us / 1000 }')
	P99[$key]=$(awk -v us="$(field "$out" p99_us)" 'BEGIN { printf "%.2f", us / 1000 }')
	NON2XX[$key]=$(field "$out" non2xx)
	SOCK[$key]=$(($(field "$out" connect) + $(field "$out" read) + $(field "$out" write) + $(field "$out" timeout)))
	NOTE[$key]=${3:-}
	OTHER[$key]=$(cpu_other)
	ROWS+=("$key")
}
check_repeats() {   # check_repeats BEFORE LABEL: a redeem run must not have repeated a code
	local now
	now=$(repeats)
	if ((now != $1)); then
		log "WARNING: $2 repeated $((now - $1)) codes (its fresh code list ran out): raise CODES_PER_SEC"
		echo "REPEATS=$((now - $1))"
	else
		echo "repeats=0"
	fi
}

{
	echo "date:        $(date -u +%FT%TZ)"
	echo "commit:      $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "java:        $("$JAVA" -version 2>&1 | head -n 2 | tail -n 1)"
	echo "jvm flags:   $BENCH_JVM_FLAGS"
	echo "postgresql:  $PG_VERSION; $(pg_admin -d postgres -F ' ' -c "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_connections', 'max_wal_size', 'checkpoint_timeout', 'wal_sync_method')")"
	echo "wrk:         -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout $WRK_TIMEOUT (warm-up ${WARMUP}s); pgbench -n -M prepared -j $PGBENCH_THREADS -T $DURATION"
	echo "proxy args:  $PROXY_ARGS"
	echo "cpus:        $(nproc); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RESULTS/summary.txt"

# ---------------------------------------------------------------------------- phase 1
# The first server creates the schema (Flyway). pgbench's rows go in before the service
# makes any code, so that a code the service draws at random can only collide with a
# pgbench row in the service's own collision handling (ON CONFLICT, next candidate),
# never the other way round.
PG_RANGE_WARM=0
PG_RANGE_RUN=0
start_service limits-off --coupon.rate-limit.redeem.capacity=0 --coupon.rate-limit.status.capacity=0 \
	--coupon.rate-limit.redeem.network-capacity=0 --coupon.rate-limit.status.network-capacity=0
if has_phase pgbench; then
	PG_RANGE_WARM=$((PGBENCH_ROWS_PER_SEC * WARMUP))
	PG_RANGE_RUN=$((PGBENCH_ROWS_PER_SEC * DURATION))
	rows=$((PG_RANGE_WARM + 3 * PG_RANGE_RUN + STATUS_CODES))
	say "loading $rows rows for pgbench (setup.sql)"
	pg_service -v rows="$rows" -f "$BENCH_PG_DIR/setup.sql"
fi

if has_phase limits-off; then
	say "phase limits-off: making codes"
	make_codes "$STATUS_CODES" "$RESULTS/status-codes.txt"
	make_codes $((CODES_PER_SEC * WARMUP)) "$RESULTS/off-redeem-warmup-codes.txt"
	make_codes $((CODES_PER_SEC * DURATION)) "$RESULTS/off-redeem-codes.txt"
	off_args() {   # off_args SCENARIO warmup|measure: wrk Lua script and its arguments
		case $1:$2 in
			noop:*) echo "$BENCH_HTTP_DIR/noop.lua" ;;
			generate:*) echo "$BENCH_HTTP_DIR/generate.lua" ;;
			status:*) echo "$BENCH_HTTP_DIR/status.lua $RESULTS/status-codes.txt" ;;
			redeem:warmup) echo "$BENCH_PG_DIR/redeem-fresh.lua $RESULTS/off-redeem-warmup-codes.txt $THREADS" ;;
			redeem:measure) echo "$BENCH_PG_DIR/redeem-fresh.lua $RESULTS/off-redeem-codes.txt $THREADS" ;;
		esac
	}
	if ((WARMUP > 0)); then
		for scenario in noop status redeem generate; do
			say "limits-off: warm-up $scenario (${WARMUP}s)"
			# shellcheck disable=SC2046  # script and arguments
			run_wrk "$RESULTS/off-$scenario-warmup.txt" "$THREADS" "$CONNECTIONS" "$WARMUP" $(off_args $scenario warmup)
		done
	fi
	for scenario in noop status redeem generate; do
		settle
		before=$(repeats)
		pool_before=$(metric coupon_generated_total 'source="pool"')
		on_demand_before=$(metric coupon_generated_total 'source="on_demand"')
		say "limits-off: measure $scenario (${DURATION}s)"
		cpu_mark
		if [[ $scenario == "$JFR" ]]; then "$JCMD" "$SERVER_PID" JFR.start name=bench settings=profile >/dev/null; fi
		# shellcheck disable=SC2046
		run_wrk "$RESULTS/off-$scenario.txt" "$THREADS" "$CONNECTIONS" "$DURATION" $(off_args $scenario measure)
		server_alive
		if [[ $scenario == "$JFR" ]]; then
			"$JCMD" "$SERVER_PID" JFR.stop name=bench filename="$RESULTS/$scenario.jfr" >/dev/null
		fi
		note=
		case $scenario in
			redeem) note=$(check_repeats "$before" "limits-off redeem") ;;
			generate)
				pool=$(($(metric coupon_generated_total 'source="pool"') - pool_before))
				on_demand=$(($(metric coupon_generated_total 'source="on_demand"') - on_demand_before))
				note="on_demand=$on_demand of $((pool + on_demand))"
				;;
		esac
		record_wrk "limits-off $scenario" "$RESULTS/off-$scenario.txt" "$note"
	done
	PHASE_503+=" limits-off=$(count_503)"
fi
stop_server

# ---------------------------------------------------------------------------- phase 2
pgbench_run() {   # pgbench_run NAME CLIENTS SECONDS SCRIPT [-D NAME=VALUE...]
	local name=$1 clients=$2 seconds=$3 script=$4
	shift 4
	rm -f "$RESULTS/pgbench-$name-log".*
	PGPASSWORD=$PG_PASSWORD "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -n -M prepared \
		-T "$seconds" -c "$clients" -j "$PGBENCH_THREADS" -f "$script" "$@" \
		-l --log-prefix="$RESULTS/pgbench-$name-log" "$PG_DB" >"$RESULTS/pgbench-$name.txt" 2>&1 ||
		{ log "pgbench $name failed:"; cat "$RESULTS/pgbench-$name.txt" >&2; exit 1; }
}
processed() { sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$RESULTS/pgbench-$1.txt"; }
record_pgbench() {   # record_pgbench KEY NAME [NOTE]: tps, and p50/p99 from the per-transaction log
	local key=$1 name=$2 failed
	RPS[$key]=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$RESULTS/pgbench-$name.txt")
	failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$RESULTS/pgbench-$name.txt")
	# Column 3 of pgbench's transaction log is the latency in microseconds.
	local p50 p99
	read -r p50 p99 < <(cat "$RESULTS/pgbench-$name-log".* | awk '{ print $3 }' | sort -n |
		awk '{ v[NR] = $1 } END { printf "%.2f %.2f\n", v[int(NR * 0.50 + 0.5)] / 1000, v[int(NR * 0.99 + 0.5)] / 1000 }')
	P50[$key]=$p50
	P99[$key]=$p99
	gzip -f "$RESULTS/pgbench-$name-log".*
	NON2XX[$key]=${failed:-?}
	SOCK[$key]=-
	NOTE[$key]=${3:-}
	OTHER[$key]=$(cpu_other)
	ROWS+=("$key")
}
rows_used() {   # rows_used FIRST COUNT: how many of pgbench's rows FIRST.. are USED
	pg_service -c "SELECT count(*) FROM generate_series($1, $1 + $2 - 1) AS n
		JOIN coupon c ON c.code = bench_code($SCATTER) WHERE c.status = 'USED'"
}
if has_phase pgbench; then
	say "phase pgbench: $(nproc) cores to PostgreSQL and pgbench, no JVM running"
	# Rows: [1, W] warm-up, then one range of R per measured update run, then the select set.
	base=1
	if ((WARMUP > 0)); then
		say "pgbench: warm-up update c64 (${WARMUP}s)"
		pgbench_run update-warmup 64 "$WARMUP" "$BENCH_PG_DIR/update.sql" -D base=$base -D nclients=64 -D i=0
		gzip -f "$RESULTS/pgbench-update-warmup-log".*
		base=$((base + PG_RANGE_WARM))
	fi
	for clients in 64 10; do
		settle
		say "pgbench: measure update c$clients (${DURATION}s, rows $base..$((base + PG_RANGE_RUN - 1)))"
		cpu_mark
		pgbench_run "update-c$clients" "$clients" "$DURATION" "$BENCH_PG_DIR/update.sql" -D base=$base -D nclients=$clients -D i=0
		done_txns=$(processed "update-c$clients")
		used=$(rows_used $base "$PG_RANGE_RUN")
		if ((used == done_txns)); then
			note="rows changed = transactions = $used"
		else
			note="ROWS CHANGED $used != TRANSACTIONS $done_txns"
			log "WARNING: pgbench update c$clients changed $used rows of its range in $done_txns transactions: raise PGBENCH_ROWS_PER_SEC"
		fi
		record_pgbench "pgbench update c$clients" "update-c$clients" "$note"
		base=$((base + PG_RANGE_RUN))
	done
	# The service's own statement (redeem.sql), at the service's concurrency.
	settle
	say "pgbench: measure redeem c64 (${DURATION}s, rows $base..$((base + PG_RANGE_RUN - 1)))"
	cpu_mark
	pgbench_run redeem-c64 64 "$DURATION" "$BENCH_PG_DIR/redeem.sql" -D base=$base -D nclients=64 -D i=0
	done_txns=$(processed redeem-c64)
	used=$(rows_used $base "$PG_RANGE_RUN")
	note="rows changed = transactions = $used"
	if ((used != done_txns)); then
		note="ROWS CHANGED $used != TRANSACTIONS $done_txns"
		log "WARNING: pgbench redeem c64 changed $used rows of its range in $done_txns transactions: raise PGBENCH_ROWS_PER_SEC"
	fi
	record_pgbench "pgbench redeem c64" redeem-c64 "$note"
	base=$((base + PG_RANGE_RUN))
	settle
	say "pgbench: measure select c64 (${DURATION}s, rows $base..$((base + STATUS_CODES - 1)))"
	cpu_mark
	pgbench_run select-c64 64 "$DURATION" "$BENCH_PG_DIR/select.sql" -D first=$base -D count="$STATUS_CODES"
	record_pgbench "pgbench select c64" select-c64 "over $STATUS_CODES unused rows"
fi

# ---------------------------------------------------------------------------- phase 3
if has_phase limits-on-64; then
	# shellcheck disable=SC2086  # PROXY_ARGS is an argument list
	start_service limits-on-64 --coupon.rate-limit.redeem.capacity=1000000000 \
		--coupon.rate-limit.status.capacity=1000000000 $PROXY_ARGS
	say "phase limits-on-64: making codes"
	[[ -f $RESULTS/status-codes.txt ]] || make_codes "$STATUS_CODES" "$RESULTS/status-codes.txt"
	make_codes $((CODES_PER_SEC * WARMUP)) "$RESULTS/on64-redeem-warmup-codes.txt"
	make_codes $((CODES_PER_SEC * DURATION)) "$RESULTS/on64-redeem-codes.txt"
	on_args() {
		case $1:$2 in
			status:*) echo "$BENCH_PG_DIR/status-clients.lua $RESULTS/status-codes.txt $CLIENTS" ;;
			redeem:warmup) echo "$BENCH_PG_DIR/redeem-fresh.lua $RESULTS/on64-redeem-warmup-codes.txt $THREADS $CLIENTS" ;;
			redeem:measure) echo "$BENCH_PG_DIR/redeem-fresh.lua $RESULTS/on64-redeem-codes.txt $THREADS $CLIENTS" ;;
		esac
	}
	if ((WARMUP > 0)); then
		for scenario in status redeem; do
			say "limits-on-64: warm-up $scenario (${WARMUP}s)"
			# shellcheck disable=SC2046
			run_wrk "$RESULTS/on64-$scenario-warmup.txt" "$THREADS" "$CONNECTIONS" "$WARMUP" $(on_args $scenario warmup)
		done
	fi
	for scenario in status redeem; do
		settle
		before=$(repeats)
		say "limits-on-64: measure $scenario (${DURATION}s)"
		cpu_mark
		# shellcheck disable=SC2046
		run_wrk "$RESULTS/on64-$scenario.txt" "$THREADS" "$CONNECTIONS" "$DURATION" $(on_args $scenario measure)
		server_alive
		note=
		if [[ $scenario == redeem ]]; then note=$(check_repeats "$before" "limits-on-64 redeem"); fi
		record_wrk "limits-on-64 $scenario" "$RESULTS/on64-$scenario.txt" "$note"
	done
	# The proxy trust worked if the limiter kept one bucket per client address.
	# rate_limit_window since the single-statement limiter; rate_limit_bucket before it.
	buckets=$(pg_service -c "SELECT count(*) FROM rate_limit_window WHERE id LIKE '%:198.51.100.%'" 2>/dev/null ||
		pg_service -c "SELECT count(*) FROM rate_limit_bucket WHERE id LIKE '%:198.51.100.%'")
	NOTE["limits-on-64 status"]="${NOTE["limits-on-64 status"]} buckets=$buckets (expect $((2 * CLIENTS)))"
	PHASE_503+=" limits-on-64=$(count_503)"
	stop_server
fi

# ---------------------------------------------------------------------------- phase 4
if has_phase hot-client; then
	# shellcheck disable=SC2086
	start_service hot-client --coupon.rate-limit.redeem.capacity=5 --coupon.rate-limit.status.capacity=60 $PROXY_ARGS
	say "phase hot-client: making codes"
	[[ -f $RESULTS/status-codes.txt ]] || make_codes "$STATUS_CODES" "$RESULTS/status-codes.txt"
	quiet_warm=$((QUIET_PAIRS_PER_SEC * WARMUP))
	quiet_run=$((QUIET_PAIRS_PER_SEC * DURATION))
	# Each quiet run gets its own codes and addresses: A = ceil(pairs / QUIET_USES) of
	# 198.18.0.0/15, from FIRST[run] on.
	addresses() { echo $((($1 + QUIET_USES - 1) / QUIET_USES)); }
	declare -A FIRST
	FIRST[warmup]=1
	FIRST[alone-1]=$((${FIRST[warmup]} + $(addresses $quiet_warm)))
	FIRST[flood]=$((${FIRST[alone-1]} + $(addresses $quiet_run)))
	FIRST[alone-2]=$((${FIRST[flood]} + $(addresses $quiet_run)))
	if ((${FIRST[alone-2]} + $(addresses $quiet_run) - 1 > 131070)); then
		log "hot-client needs more than the 131070 addresses of 198.18.0.0/15: lower QUIET_PAIRS_PER_SEC or DURATION"
		exit 1
	fi
	((quiet_warm == 0)) || make_codes $quiet_warm "$RESULTS/quiet-warmup-codes.txt"
	for run in alone-1 flood alone-2; do make_codes $quiet_run "$RESULTS/quiet-$run-codes.txt"; done
	quiet() {   # quiet RUN SECONDS, in the background
		run_wrk_bg "$RESULTS/quiet-$1.txt" 1 "$QUIET_CONNECTIONS" "$2" "$BENCH_PG_DIR/quiet.lua" \
			"$RESULTS/quiet-$1-codes.txt" "$RESULTS/status-codes.txt" 1 "${FIRST[$1]}" "$QUIET_USES"
	}
	flood() {   # flood OUTFILE SECONDS, in the background
		run_wrk_bg "$1" 1 "$HOT_CONNECTIONS" "$2" "$BENCH_PG_DIR/hot.lua" "$HOT_ADDRESS"
	}
	if ((WARMUP > 0)); then
		say "hot-client: warm-up quiet and hot together (${WARMUP}s)"
		quiet warmup "$WARMUP"
		flood "$RESULTS/hot-warmup.txt" "$WARMUP"
		wait_wrk
	fi
	# Alone, with the flood, alone again: the mean of the two alone runs is the baseline,
	# so a JVM still getting faster (JIT) does not count for or against the flood.
	for run in alone-1 flood alone-2; do
		settle
		before=$(repeats)
		e503=$(count_503)
		if [[ $run == flood ]]; then
			say "hot-client: measure quiet with the hot client flooding (${DURATION}s)"
			cpu_mark
			quiet flood "$DURATION"
			flood "$RESULTS/hot.txt" "$DURATION"
			wait_wrk
			FLOOD_503=$(($(count_503) - e503))
			record_wrk "quiet with flood" "$RESULTS/quiet-flood.txt" "$(check_repeats "$before" "quiet with flood"); 503s=$FLOOD_503 (server, all clients)"
		else
			say "hot-client: measure quiet $run (${DURATION}s)"
			cpu_mark
			quiet "$run" "$DURATION"
			wait_wrk
			record_wrk "quiet $run" "$RESULTS/quiet-$run.txt" "$(check_repeats "$before" "quiet $run"); 503s=$(($(count_503) - e503))"
		fi
	done
	RPS["quiet alone"]=$(awk -v a="${RPS[quiet alone-1]}" -v b="${RPS[quiet alone-2]}" 'BEGIN { printf "%.1f", (a + b) / 2 }')
	hot() { sed -n "s/^HOT_RESULT.* $1=\([0-9]*\).*/\1/p" "$RESULTS/hot.txt"; }
	hot_answers=$(($(hot s429) + $(hot s503) + $(hot s2xx) + $(hot s4xx) + $(hot other)))
	HOT_429=$(awk -v l="$(hot s429)" -v r="$hot_answers" 'BEGIN { printf "%.1f", r ? 100 * l / r : 0 }')
	record_wrk "hot client" "$RESULTS/hot.txt" "429=$(hot s429) ($HOT_429 %, $(awk -v l="$(hot s429)" -v d="$DURATION" 'BEGIN { printf "%.0f", l / d }')/s) 503=$(hot s503) other 4xx=$(hot s4xx) 2xx=$(hot s2xx)"
	PHASE_503+=" hot-client=$(count_503)"
	stop_server
fi

# ---------------------------------------------------------------------------- the table
{
	echo
	printf '%-22s %9s %8s %8s %7s %8s %6s  %s\n' scenario 'rps|tps' p50_ms p99_ms non2xx sock_err other% notes
	for key in "${ROWS[@]}"; do
		printf '%-22s %9.0f %8s %8s %7s %8s %6s  %s\n' "$key" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" \
			"${NON2XX[$key]}" "${SOCK[$key]}" "${OTHER[$key]}" "${NOTE[$key]}"
	done
	echo "(pgbench rows: tps, and non2xx = pgbench's failed transactions; other% = CPU used by other"
	echo " processes on this machine during the run, in % of all cores: above ~5 the run was disturbed)"
	echo
	printf '%-44s %6s\n' ratio value
	printf '%-44s %6s\n' 'redeem / pgbench update c64' "$(ratio 'limits-off redeem' 'pgbench update c64')"
	printf '%-44s %6s\n' 'redeem / pgbench update c10' "$(ratio 'limits-off redeem' 'pgbench update c10')"
	printf '%-44s %6s\n' 'redeem / pgbench redeem c64 (same statement)' "$(ratio 'limits-off redeem' 'pgbench redeem c64')"
	printf '%-44s %6s\n' 'pgbench redeem c64 / update c64 (the event)' "$(ratio 'pgbench redeem c64' 'pgbench update c64')"
	printf '%-44s %6s\n' 'status / pgbench select c64' "$(ratio 'limits-off status' 'pgbench select c64')"
	printf '%-44s %6s\n' 'generate / pgbench update c64' "$(ratio 'limits-off generate' 'pgbench update c64')"
	printf '%-44s %6s\n' 'limits-on-64 / limits-off: redeem' "$(ratio 'limits-on-64 redeem' 'limits-off redeem')"
	printf '%-44s %6s\n' 'limits-on-64 / limits-off: status' "$(ratio 'limits-on-64 status' 'limits-off status')"
	printf '%-44s %6s\n' 'quiet with flood / quiet alone (mean of 1, 2)' "$(ratio 'quiet with flood' 'quiet alone')"
	if [[ -n ${FLOOD_503:-} ]]; then
		printf '%-44s %6s\n' '503s during the flood (must be 0)' "$FLOOD_503"
		printf '%-44s %6s\n' "hot client's requests answered 429 (%)" "$HOT_429"
	fi
	echo "503s per server, whole phase:${PHASE_503:- none ran}"
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "took ${SECONDS}s; raw output: $RESULTS"
} | tee -a "$RESULTS/summary.txt"
if [[ -n $JFR && -f $RESULTS/$JFR.jfr ]]; then
	echo "JFR profile of limits-off $JFR: $RESULTS/$JFR.jfr"
	JFR_TOOL=${JAVA_HOME:+$JAVA_HOME/bin/}jfr "$BENCH_HTTP_DIR/jfr-top.sh" "$RESULTS/$JFR.jfr" 25
fi | tee -a "$RESULTS/summary.txt"
