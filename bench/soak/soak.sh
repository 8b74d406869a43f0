#!/usr/bin/env bash
# Soak test: a steady mix of generate, redeem and status requests (wrk + mix.lua)
# for DURATION seconds, sampling the service every SAMPLE_EVERY seconds into a CSV
# under bench/results/ (git-ignored), then a summary. Not part of ./mvnw verify.
#
#   bench/soak/soak.sh                       # build nothing; start target/*.jar, 600 s
#   DURATION=60 bench/soak/soak.sh           # the smoke run
#   URL=http://127.0.0.1:8080 PID=1234 bench/soak/soak.sh   # a service already running
#
# Settings (environment):
#   DURATION=600      seconds of load
#   WARMUP            seconds excluded from the heap/RSS summary (default: 60, or a
#                     quarter of DURATION when that is shorter)
#   SAMPLE_EVERY=10   seconds between samples
#   THREADS=2 CONNECTIONS=8   wrk threads and connections
#   GENERATE_PCT=20 REDEEM_PCT=30   the mix; the rest are status lookups
#   URL               a running service on 127.0.0.1 (then nothing is started); its
#                     rate limits must be raised as below. PID gives its process for RSS
#   PORT=18090 JAR=target/coupon-service-*.jar JAVA_OPTS="-Xmx512m"   when started here
# Traffic goes to loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-600}
SAMPLE_EVERY=${SAMPLE_EVERY:-10}
if [ -z "${WARMUP:-}" ]; then
	WARMUP=$((DURATION / 4 < 60 ? DURATION / 4 : 60))
fi
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-8}
export GENERATE_PCT=${GENERATE_PCT:-20}
export REDEEM_PCT=${REDEEM_PCT:-30}

if ! command -v wrk >/dev/null 2>&1; then
	echo "== installing wrk"
	apt-get install -y wrk >/dev/null
fi

mkdir -p bench/results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
CSV=bench/results/soak-$STAMP.csv
WRK_OUT=bench/results/soak-$STAMP-wrk.txt
APP_LOG=bench/results/soak-$STAMP-app.log

STARTED_PID=""
cleanup() {
	if [ -n "$STARTED_PID" ] && kill -0 "$STARTED_PID" 2>/dev/null; then
		kill "$STARTED_PID"
		wait "$STARTED_PID" 2>/dev/null || true
	fi
}
trap cleanup EXIT

if [ -n "${URL:-}" ]; then
	case "$URL" in
		http://127.*|http://localhost*) ;;
		*) echo "URL must be on 127.0.0.0/8 or localhost: $URL" >&2; exit 2 ;;
	esac
	APP_PID=${PID:-}
else
	PORT=${PORT:-18090}
	JAR=${JAR:-$(ls target/coupon-service-*.jar 2>/dev/null | grep -v original | head -n 1)}
	if [ -z "$JAR" ] || [ ! -f "$JAR" ]; then
		echo "no jar: run ./mvnw -o package -DskipTests first, or set JAR" >&2
		exit 2
	fi
	URL=http://127.0.0.1:$PORT
	echo "== starting $JAR on $URL (log: $APP_LOG)"
	# shellcheck disable=SC2086
	java ${JAVA_OPTS:--Xmx512m} -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" \
		--coupon.rate-limit.redeem.capacity=1000000000 --coupon.rate-limit.status.capacity=1000000000 \
		--coupon.rate-limit.redeem.network-capacity=1000000000 --coupon.rate-limit.status.network-capacity=1000000000 \
		--coupon.rate-limit.generate.capacity=0 >"$APP_LOG" 2>&1 &
	STARTED_PID=$!
	APP_PID=$STARTED_PID
	deadline=$((SECONDS + 120))
	until curl -fs "$URL/actuator/health/readiness" >/dev/null 2>&1; do
		if [ $SECONDS -ge $deadline ] || ! kill -0 "$STARTED_PID" 2>/dev/null; then
			echo "the service did not become ready; see $APP_LOG" >&2
			exit 1
		fi
		sleep 1
	done
fi

# One CSV row from a Prometheus scrape and /proc.
sample() {
	local elapsed=$1 scrape rss
	scrape=$(curl -fs --max-time 5 "$URL/actuator/prometheus" || true)
	rss=""
	if [ -n "${APP_PID:-}" ] && [ -r "/proc/$APP_PID/status" ]; then
		rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$APP_PID/status")
	fi
	printf '%s\n' "$scrape" | awk -v elapsed="$elapsed" -v rss="$rss" '
		/^jvm_memory_used_bytes\{.*area="heap"/ { heap += $NF }
		/^jvm_gc_pause_seconds_sum\{/ { gc_sum += $NF }
		/^jvm_gc_pause_seconds_count\{/ { gc_count += $NF }
		/^coupon_stored\{/ { stored += $NF }
		/^http_server_requests_seconds_count\{/ && !/uri="\/actuator/ {
			requests += $NF
			if ($0 ~ /status="4/) client_errors += $NF
			if ($0 ~ /status="5/) server_errors += $NF
		}
		END {
			printf "%d,%.0f,%s,%.6f,%d,%d,%d,%d,%d\n", elapsed, heap, rss, gc_sum, gc_count, stored, requests,
				client_errors, server_errors
		}'
}

echo "elapsed_s,heap_used_bytes,rss_kb,gc_pause_seconds_sum,gc_pause_count,coupons_stored,http_requests,http_4xx,http_5xx" >"$CSV"
echo "== load: ${DURATION}s, $THREADS threads, $CONNECTIONS connections, generate ${GENERATE_PCT}% redeem ${REDEEM_PCT}% status the rest"
echo "== samples every ${SAMPLE_EVERY}s into $CSV"
START=$SECONDS
sample 0 >>"$CSV"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency -s bench/soak/mix.lua "$URL" >"$WRK_OUT" 2>&1 &
WRK_PID=$!
next=$SAMPLE_EVERY
while kill -0 "$WRK_PID" 2>/dev/null; do
	if [ $((SECONDS - START)) -ge "$next" ]; then
		sample "$next" >>"$CSV"
		next=$((next + SAMPLE_EVERY))
	fi
	sleep 1
done
wait "$WRK_PID"
sample $((SECONDS - START)) >>"$CSV"

echo
cat "$WRK_OUT"
echo
echo "== summary (heap and RSS after ${WARMUP}s of warm-up; CSV: $CSV)"
awk -F, -v warmup="$WARMUP" '
	NR == 1 { next }
	$1 >= warmup {
		n++
		if (n == 1) { heap_first = $2; rss_first = $3; stored_first = $6 }
		heap_last = $2; rss_last = $3; stored_last = $6
		if ($2 > heap_max) heap_max = $2
	}
	{ gc_sum = $4; gc_count = $5; c4 = $8; c5 = $9 }
	END {
		mib = 1024 * 1024
		printf "heap used MiB: first %.1f, last %.1f, max %.1f (%d samples)\n", heap_first / mib, heap_last / mib, heap_max / mib, n
		if (rss_first != "") printf "RSS MiB: first %.1f, last %.1f, growth %+.1f\n", rss_first / 1024, rss_last / 1024, (rss_last - rss_first) / 1024
		printf "coupons stored: %d -> %d\n", stored_first, stored_last
		printf "GC pauses: %d, %.3f s in total\n", gc_count, gc_sum
		printf "service-side 4xx: %d, 5xx: %d\n", c4, c5
	}' "$CSV"
awk '/^SUMMARY/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
	/^STATUS/ { statuses = $0 }
	/Non-2xx or 3xx responses/ { non2xx = $NF }
	END {
		printf "wrk: %d requests, non-2xx %d, p50 %s ms, p99 %s ms, max %s ms\n", v["requests"], non2xx + 0, v["p50_ms"], v["p99_ms"], v["max_ms"]
		printf "wrk socket errors: connect %s, read %s, write %s, timeout %s\n", v["errors_connect"], v["errors_read"], v["errors_write"], v["errors_timeout"]
		print "wrk " statuses
	}' "$WRK_OUT"
