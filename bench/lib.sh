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
