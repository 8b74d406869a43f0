# shellcheck shell=bash
# Shared by the benchmark scripts (sourced, not run): logging to stderr and stopping the
# server a script started, whatever way the script ends.

log() { printf '%s\n' "$*" >&2; }

# The pid of the server the sourcing script started; stop_server stops it (TERM, then KILL
# after 30 s) and is a no-op when it is empty or already gone.
SERVER_PID=
stop_server() {
	if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		for _ in $(seq 1 60); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.5
		done
		kill -KILL "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	SERVER_PID=
}
# More to stop on exit (a private database, load generators): functions a script adds here
# run after the server has stopped.
CLEANUPS=()
cleanup() {
	stop_server
	local f
	for f in "${CLEANUPS[@]}"; do "$f" || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # so that the EXIT trap runs on Ctrl-C or kill too

# start_server LOGFILE COMMAND...: runs the server's command in the background (SERVER_PID
# is the JVM's own pid when COMMAND execs it, as java and taskset do), waits until it
# listens and is ready, and sets BASE to http://127.0.0.1:PORT. The command should ask for
# --server.port=0: Tomcat takes a free port and logs it, so there is no race for a port.
BASE=
start_server() {
	local logfile=$1 port=
	shift
	: >"$logfile"
	"$@" >"$logfile" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 240); do   # at most 120 s
		kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited; last lines of $logfile:"; tail -n 30 "$logfile" >&2; exit 1; }
		if [[ -z $port ]]; then
			port=$(sed -n 's/.*Tomcat started on port \([0-9][0-9]*\).*/\1/p' "$logfile" | head -n 1)
		fi
		if [[ -n $port ]] && curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:$port/actuator/health/readiness"; then
			BASE="http://127.0.0.1:$port"
			log "server pid $SERVER_PID on $BASE ($(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$logfile" | head -n 1 || true))"
			return
		fi
		sleep 0.5
	done
	log "server did not become ready within 120 s; see $logfile"
	exit 1
}

# make_codes COUNT FILE [FIELDS]: COUNT new coupons through POST /generate-coupons of the
# server at BASE, 10,000 (coupon.generation.max-bulk-count's default) a request, their
# codes one a line into FILE. FIELDS are more JSON members of each request's body, e.g.
# ',"campaign":"spring"'.
make_codes() {
	local left=$1 file=$2 fields=${3:-} n
	: >"$file"
	while ((left > 0)); do
		n=$((left < 10000 ? left : 10000))
		curl -fsS --max-time 120 -X POST -H 'Content-Type: application/json' -H 'Accept: text/csv' \
			-d "{\"count\":$n$fields}" "$BASE/generate-coupons" | tail -n +2 >>"$file"
		left=$((left - n))
	done
	[[ $(wc -l <"$file") -eq $1 ]] || { log "expected $1 codes in $file"; exit 1; }
}

# The wrk processes a script runs in the background; stopped on exit.
WRK_PIDS=()
stop_wrk() {
	local pid
	for pid in "${WRK_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
CLEANUPS+=(stop_wrk)

# server_alive: exit with the end of the server's log (RESULTS/server*.log) when the server
# stopped, and not by this script (killed from outside, out of memory).
server_alive() {
	if ! kill -0 "$SERVER_PID" 2>/dev/null; then
		log "the server (pid $SERVER_PID) has stopped, and not by this script; the end of its log:"
		grep -v 'Redemption ' "$RESULTS"/server*.log | tail -n 5 >&2
		exit 1
	fi
}

# Sum of one metric's series (of the server at BASE) whose labels contain every one of
# the given label strings.
metric() {   # metric NAME [LABEL=\"VALUE\"...]
	local name=$1
	shift
	curl -fsS --max-time 10 "$BASE/actuator/prometheus" | awk -v name="$name" -v labels="$*" '
		BEGIN { n = split(labels, want, " ") }
		$1 == name || index($1, name "{") == 1 {
			for (i = 1; i <= n; i++) if (!index($1, want[i])) next
			s += $2
		}
		END { printf "%d\n", s }'
}

# cpu_mark before and cpu_other after a run: the share of both cores, in per cent, that
# processes other than the script's own used meanwhile. The script defines cpu_jiffies
# ("busy total ours" from /proc), since which processes are its own differs.
cpu_mark() { CPU_MARK=$(cpu_jiffies); }
cpu_other() {
	awk -v a="$CPU_MARK" -v b="$(cpu_jiffies)" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		busy = y[1] - x[1]; total = y[2] - x[2]; ours = y[3] - x[3]
		other = (busy > ours) ? busy - ours : 0
		printf "%.0f", (total > 0) ? 100 * other / total : 0 }'
}

# ratio KEY_A KEY_B: rps of A / rps of B from the script's RPS array, or - when one is missing
ratio() {
	awk -v a="${RPS[$1]:-}" -v b="${RPS[$2]:-}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'
}

# find_jar, from the repository root: build the jar (unless BUILD=0, or JAR names one,
# e.g. an older build to compare with) and set JAR to it.
find_jar() {
	if [[ -n ${JAR:-} ]]; then BUILD=0; fi
	if [[ ${BUILD:-1} == 1 ]]; then
		log "building the jar"
		./mvnw -B -ntp -q -DskipTests package
	fi
	local jars=(target/coupon-service-*.jar)
	JAR=${JAR:-${jars[0]}}
	[[ -f $JAR ]] || { log "no jar in target/; run without BUILD=0"; exit 1; }
}
