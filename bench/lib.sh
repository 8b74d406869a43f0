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
trap stop_server EXIT
trap 'exit 130' INT TERM   # so that the EXIT trap runs on Ctrl-C or kill too
