#!/usr/bin/env bash
# Listing and CSV export over 1,000,000 coupons, through HTTP, on this machine (127.0.0.1).
#
# Usage:  bench/listing/run.sh               # memory mode (the default store)
#         bench/listing/run.sh postgres      # PostgreSQL mode, on a private PostgreSQL 15
#         COUNT=100000 bench/listing/run.sh  # a smaller data set, for a quick look
#
# It builds the jar, starts it (profile bench, plus postgres in PostgreSQL mode), and fills
# the store through POST /generate-coupons (10,000 a request) with:
#   wide      10 % of COUNT in campaign "wide"
#   narrow    0.1 % in campaign "narrow", all of them then redeemed (status USED)
#   bound     0.1 % bound to customer "customer-7"
#   expiring  0.1 % with ttl PT1S (status EXPIRED a second later)
#   the rest  no campaign, no customer
# Then it times GET /coupons pages (limit 100 unless said) with curl, REPEAT times each,
# and prints the median and the slowest: the first page, a page from the middle (after=),
# one page per filter (a common one, rare ones, one that matches nothing, which is the
# worst case for a store that walks in code order), and limit 1000. Then the full CSV
# export (Accept: text/csv, every coupon) and the export of campaign "wide": time, bytes,
# lines (checked against what was made). The heap the export needs shows in the GC log
# (-Xlog:gc): the heap after each collection during the export against the heap after a
# full collection just before it. In PostgreSQL mode it also prints the plan of each
# listing query as the service ran it (auto_explain), so that one can check which index
# serves each filter.
#
# Environment (all optional):
#   JAVA_HOME, BENCH_JVM_FLAGS (default bench/jvm-flags), SERVER_ARGS, BUILD=0 (reuse the jar),
#   JAR=path (run that jar instead)
#   COUNT=1000000   REPEAT=21   RESULTS=dir (default bench/results/listing-<mode>-<time>)
#   PG_BIN=/usr/lib/postgresql/15/bin (PostgreSQL mode)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MODE=${1:-memory}
[[ $MODE == memory || $MODE == postgres ]] || { echo "mode is memory or postgres, not $MODE" >&2; exit 2; }
DEFAULT_JVM_FLAGS=$(grep -v '^#' "$ROOT/bench/jvm-flags" | tr '\n' ' ' | sed 's/  */ /g; s/ $//')
BENCH_JVM_FLAGS=${BENCH_JVM_FLAGS-$DEFAULT_JVM_FLAGS}
SERVER_ARGS=${SERVER_ARGS:-}
BUILD=${BUILD:-1}
COUNT=${COUNT:-1000000}
REPEAT=${REPEAT:-21}
RESULTS=${RESULTS:-$ROOT/bench/results/listing-$MODE-$(date +%Y%m%dT%H%M%S)}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
command -v curl >/dev/null || { log "curl is required"; exit 1; }
mkdir -p "$RESULTS"
cd "$ROOT"
find_jar

PROFILES=bench
if [[ $MODE == postgres ]]; then
	# shellcheck source=bench/postgres/private.sh
	source "$ROOT/bench/postgres/private.sh"
	# auto_explain is loaded but silent (-1) until the plans are wanted.
	start_private_postgres "shared_preload_libraries = 'auto_explain'" "auto_explain.log_min_duration = -1"
	PROFILES=bench,postgres
	export POSTGRES_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB" POSTGRES_USER=$PG_USER POSTGRES_PASSWORD=$PG_PASSWORD
fi

# shellcheck disable=SC2086  # flag lists are meant to split
start_server "$RESULTS/server.log" "$JAVA" $BENCH_JVM_FLAGS "-Xlog:gc:file=$RESULTS/gc.log" -jar "$JAR" \
	--spring.profiles.active=$PROFILES --server.address=127.0.0.1 --server.port=0 $SERVER_ARGS

{
	echo "date:        $(date -u +%FT%TZ)"
	echo "commit:      $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "mode:        $MODE${PG_VERSION:+ (PostgreSQL $PG_VERSION)}"
	echo "java:        $("$JAVA" -version 2>&1 | head -n 2 | tail -n 1)"
	echo "jvm flags:   $BENCH_JVM_FLAGS"
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RESULTS/summary.txt"

WIDE=$((COUNT / 10))
RARE=$((COUNT / 1000))
REST=$((COUNT - WIDE - 3 * RARE))
SECONDS=0
log "filling the store with $COUNT coupons"
make_codes "$WIDE" "$RESULTS/wide.txt" ',"campaign":"wide"'
make_codes "$RARE" "$RESULTS/narrow.txt" ',"campaign":"narrow"'
make_codes "$RARE" "$RESULTS/bound.txt" ',"customerId":"customer-7"'
make_codes "$RARE" "$RESULTS/expiring.txt" ',"ttl":"PT1S"'
make_codes "$REST" "$RESULTS/rest.txt" ''
# shellcheck disable=SC2016
xargs -P 8 -I '{}' curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
	-d '{"code":"{}","reference":"order-{}"}' "$BASE/redeem-coupon" <"$RESULTS/narrow.txt"
echo "fill:        $COUNT coupons in ${SECONDS}s (wide $WIDE, narrow $RARE redeemed, bound $RARE, expiring $RARE)" |
	tee -a "$RESULTS/summary.txt"
if [[ $MODE == postgres ]]; then
	# What autovacuum does by itself within a minute of a fill this size; without it the
	# planner would still think the table small.
	pg_admin -d "$PG_DB" -c 'VACUUM (ANALYZE) coupon'
fi
sleep 1   # the expiring ones are expired now

MIDDLE=$(LC_ALL=C sort "$RESULTS/rest.txt" | sed -n "$((REST / 2))p")
QUERIES=(
	"first page|limit=100"
	"middle page|limit=100&after=$MIDDLE"
	"first 1000|limit=1000"
	"campaign=wide (10 %)|campaign=wide"
	"campaign=narrow (0.1 %)|campaign=narrow"
	"customerId=customer-7 (0.1 %)|customerId=customer-7"
	"status=UNUSED (~90 %)|status=UNUSED"
	"status=USED (0.1 %)|status=USED"
	"status=EXPIRED (0.1 %)|status=EXPIRED"
	"campaign=none (matches nothing)|campaign=none"
	"customerId=nobody (matches nothing)|customerId=nobody"
)

time_page() {   # time_page QUERY: REPEAT timings (s) of GET /coupons?QUERY, sorted
	local i
	for ((i = 0; i < REPEAT; i++)); do
		curl -fsS -o /dev/null -w '%{time_total}\n' "$BASE/coupons?$1"
	done | sort -n
}
ms() { awk '{ printf "%.1f", $1 * 1000 }'; }

# Warm up every query first (the JIT, the database's cache) so that no figure is the
# first run of its code path.
for entry in "${QUERIES[@]}"; do
	for _ in 1 2 3 4 5; do curl -fsS -o /dev/null "$BASE/coupons?${entry#*|}"; done
done
{
	printf '\n%-40s %10s %10s %8s\n' "GET /coupons (limit 100 unless said)" "median ms" "max ms" "items"
	for entry in "${QUERIES[@]}"; do
		name=${entry%%|*}
		query=${entry#*|}
		times=$(time_page "$query")
		items=$(curl -fsS "$BASE/coupons?$query" | { grep -o '"code"' || true; } | wc -l)
		printf '%-40s %10s %10s %8s\n' "$name" "$(sed -n "$(((REPEAT + 1) / 2))p" <<<"$times" | ms)" \
			"$(tail -n 1 <<<"$times" | ms)" "$items"
	done
} | tee -a "$RESULTS/summary.txt"

# The heap after every collection from line FROM of the GC log on, in MB: "a->b(c)" is b.
heap_after_gc() { tail -n +"$1" "$RESULTS/gc.log" | sed -n 's/.* [0-9]*M->\([0-9]*\)M([0-9]*M).*/\1/p'; }

export_csv() {   # export_csv NAME QUERY EXPECTED-LINES
	local name=$1 query=$2 expected=$3 mark baseline out lines
	"$JCMD" "$SERVER_PID" GC.run >/dev/null
	sleep 0.5
	baseline=$(heap_after_gc 1 | tail -n 1)
	mark=$(($(wc -l <"$RESULTS/gc.log") + 1))
	out=$(curl -fsS -H 'Accept: text/csv' -o "$RESULTS/export.csv" -w '%{time_total} %{size_download}' "$BASE/coupons?$query")
	lines=$(wc -l <"$RESULTS/export.csv")
	[[ $lines -eq $expected ]] || { log "export $name: $lines lines, expected $expected"; exit 1; }
	read -r seconds bytes <<<"$out"
	local during
	during=$(heap_after_gc "$mark" | sort -n | tail -n 1)
	printf '%-24s %8.2f s %9.1f MB %9d lines   heap after GC: %s MB before, at most %s MB during (%d collections)\n' \
		"$name" "$seconds" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$lines" "$baseline" "${during:--}" \
		"$(heap_after_gc "$mark" | wc -l)"
	rm -f "$RESULTS/export.csv"
}
curl -fsS -o /dev/null -H 'Accept: text/csv' "$BASE/coupons?campaign=wide"   # warm-up
{
	echo
	echo "CSV export (Accept: text/csv)"
	export_csv "all" "" $((COUNT + 1))
	export_csv "campaign=wide" "campaign=wide" $((WIDE + 1))
} | tee -a "$RESULTS/summary.txt"

if [[ $MODE == postgres ]]; then
	# One more run of each listing with every plan logged, read back from the server log.
	pg_set "auto_explain.log_min_duration" 0
	mark=$(($(wc -l <"$PG_LOG") + 1))
	for entry in "${QUERIES[@]}"; do
		curl -fsS -o /dev/null "$BASE/coupons?${entry#*|}"
	done
	curl -fsS -o /dev/null -H 'Accept: text/csv' "$BASE/coupons?campaign=wide"
	sleep 0.5
	pg_set "auto_explain.log_min_duration" -1
	{
		echo
		echo "Plans of the listing queries (auto_explain; first lines of each)"
		tail -n +"$mark" "$PG_LOG" | awk '
			/Query Text:/ { keep = /FROM coupon WHERE true/; n = 0; if (keep) { sub(/.*FROM coupon /, ""); print } next }
			keep && /->|Index|Seq Scan|Limit|Sort/ && n < 5 { sub(/^[^\t]*\t/, ""); print "    " $0; n++ }'
	} | tee -a "$RESULTS/summary.txt"
fi
log "results in $RESULTS"
