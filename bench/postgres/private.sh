# shellcheck shell=bash
# A private PostgreSQL 15 for one benchmark run (sourced after bench/lib.sh, not run).
#
# start_private_postgres [SETTING...] runs Debian's /usr/lib/postgresql/15/bin (PG_BIN;
# installed with apt-get when missing, which on a fresh box also creates and starts
# Debian's own 15/main cluster: the package does that; we never use or touch it): initdb
# into a new temporary directory, as the "postgres" OS user when we are root (initdb
# refuses root), with bench/postgres/postgresql.conf and the SETTINGs given (lines of
# postgresql.conf), listening on a free port of 127.0.0.1 and on a unix socket in that
# directory. Never the system's own cluster. It creates the database PG_DB and its owner
# PG_USER (random PG_PASSWORD; the service's Flyway migrations create the schema), and
# sets PG_PORT, PG_VERSION and PG_LOG. The server stops and the directory goes on exit;
# its log is copied into RESULTS first.
#
# pg_admin: psql as the superuser over the private socket; pg_service: psql as the
# service's user over TCP, as the service and pgbench connect; pg_set NAME VALUE: change
# a reloadable setting at once (ALTER SYSTEM, then a reload).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DB=coupons
PG_USER=coupons
PG_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
PG_TMP=
PG_PORT=
PG_LOG=
PG_VERSION=

as_postgres() {   # initdb and postgres refuse to run as root
	if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_postgres() {
	if [[ -z $PG_TMP ]]; then return; fi
	if [[ -f $PG_TMP/data/postmaster.pid ]]; then
		local pid
		pid=$(head -n 1 "$PG_TMP/data/postmaster.pid")
		as_postgres "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -t 30 stop >/dev/null 2>&1 ||
			{ [[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null; } || true
	fi
	if [[ -d ${RESULTS:-} && -f $PG_LOG ]]; then cp "$PG_LOG" "$RESULTS/postgres.log" || true; fi
	rm -rf "$PG_TMP"
	PG_TMP=
}
CLEANUPS+=(stop_postgres)

free_port() {   # a port of 127.0.0.1 nobody listens on (postgres fails to start if one races us)
	local port
	for _ in $(seq 1 50); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
	done
	return 1
}

pg_admin() {
	"$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$PG_TMP" -p "$PG_PORT" -U postgres "$@"
}
pg_service() {
	PGPASSWORD=$PG_PASSWORD "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" "$@"
}
pg_set() {
	pg_admin -d postgres -c "ALTER SYSTEM SET $1 = '$2'" -c 'SELECT pg_reload_conf()' >/dev/null
	sleep 0.2   # the reload is asynchronous
}

start_private_postgres() {
	if [[ ! -x $PG_BIN/pg_ctl ]]; then
		log "no PostgreSQL 15 in $PG_BIN; installing it (apt-get install -y postgresql-15)"
		apt-get install -y postgresql-15 >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y postgresql-15 >/dev/null; }
	fi
	if ((EUID == 0)) && ! id postgres >/dev/null 2>&1; then log "no postgres OS user to run initdb as"; exit 1; fi
	PG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/coupon-pgbench.XXXXXX")
	PG_LOG=$PG_TMP/postgres.log
	chmod 700 "$PG_TMP"
	if ((EUID == 0)); then chown postgres: "$PG_TMP"; fi
	log "initdb in $PG_TMP"
	# Local connections (the unix socket in PG_TMP, mode 0700) are trusted: only we reach
	# it. TCP needs a password: the service and pgbench use the service user's random one.
	as_postgres "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres -E UTF8 --locale=C.UTF-8 \
		--auth-local=trust --auth-host=scram-sha-256 >"$PG_TMP/initdb.log" 2>&1 ||
		{ log "initdb failed:"; cat "$PG_TMP/initdb.log" >&2; exit 1; }
	{
		echo
		echo "# bench/postgres/postgresql.conf"
		cat "$(dirname "${BASH_SOURCE[0]}")/postgresql.conf"
		echo "# bench/postgres/private.sh"
		echo "listen_addresses = '127.0.0.1'"
		echo "unix_socket_directories = '$PG_TMP'"
		local setting
		for setting in "$@"; do echo "$setting"; done
	} >>"$PG_TMP/data/postgresql.conf"
	local attempt
	for attempt in 1 2 3 4 5; do
		PG_PORT=$(free_port) || { log "no free port found"; exit 1; }
		if as_postgres "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_LOG" -o "-p $PG_PORT" -w -t 60 start >/dev/null; then
			break
		fi
		log "PostgreSQL did not start on port $PG_PORT (attempt $attempt); the end of its log:"
		tail -n 5 "$PG_LOG" >&2
		((attempt < 5)) || exit 1
	done
	pg_admin -d postgres -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'" -c "CREATE DATABASE $PG_DB OWNER $PG_USER"
	PG_VERSION=$(pg_admin -d postgres -c 'SHOW server_version')
	log "PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT (pid $(head -n 1 "$PG_TMP/data/postmaster.pid"))"
}
