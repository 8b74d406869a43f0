#!/usr/bin/env bash
# A local Redis Cluster for the service's redis profile: redis-server daemons on
# 127.0.0.1 only, configured as docs/deploy.md ("Redis Cluster") says, except for a
# shorter cluster-node-timeout (2000 ms, as the test harness's shared cluster) and no RDB
# snapshots (AOF is the durability; a snapshot would fork in the middle of a benchmark).
#
# Usage:  bench/redis/cluster.sh start    # 3 masters + 3 replicas on ports BASE_PORT..+5
#         bench/redis/cluster.sh single   # 1 cluster-enabled node owning all 16384 slots
#         bench/redis/cluster.sh status   # CLUSTER INFO and CLUSTER NODES
#         bench/redis/cluster.sh stop     # shut the nodes down and remove DIR
#         source bench/redis/cluster.sh   # only defines the redis_* functions below
#
# "start" and "single" wait until the cluster is healthy (every node reports
# cluster_state:ok and all 16384 slots, no node is flagged failing, all agree on the slot
# owners, every master streams to its replicas), then print on stdout the line that runs
# the service on it. They refuse to start when a port (or its cluster bus port, +10000) is
# taken or DIR holds a running cluster, and stop what they started if they fail.
#
# Every node: cluster-enabled yes, appendonly yes, appendfsync everysec, save "",
# cluster-node-timeout 2000, cluster-require-full-coverage no, maxmemory-policy
# noeviction, repl-diskless-sync-delay 0; its redis.conf, redis.log, nodes.conf and AOF
# are in DIR/<port>/.
#
# Environment (all optional):
#   BASE_PORT=7000   first node's port; the nodes use BASE_PORT .. BASE_PORT+5 (start)
#   DIR=/tmp/coupon-redis-cluster   the nodes' data; "stop" deletes it (only a directory
#                    this script made: it holds the marker file .coupon-redis-cluster)
#   REPLICAS=1       replicas per master (start); MASTERS=3 masters (start)
#
# Functions for other scripts (bench/redis/run.sh, memory.sh):
#   redis_start_cluster DIR BASE_PORT REPLICAS [MASTERS]   start and wait until healthy;
#       REPLICAS=0 MASTERS=1 is the single node. Sets REDIS_CLUSTER_NODES (every node,
#       host:port, comma-separated) and REDIS_PORTS (an array of the ports). Refuses (and
#       starts nothing) when a port is taken or DIR holds a live cluster; once it has made
#       DIR, REDIS_STARTED_DIR names it, for the caller's cleanup.
#   redis_stop_cluster DIR      TERM every node of DIR (KILL after 10 s), delete DIR
#   redis_cli PORT ARGS...      redis-cli against 127.0.0.1:PORT
#   redis_masters PORT          the masters serving slots (host:port, one a line), as
#                               node PORT sees them
#   redis_replicas PORT         the replicas, likewise
#   redis_dir_ports DIR         the ports of DIR's nodes, one a line

REDIS_HOST=127.0.0.1
REDIS_MARKER=.coupon-redis-cluster
REDIS_CLUSTER_NODES=
REDIS_PORTS=()
REDIS_STARTED_DIR=   # set once redis_start_cluster has made DIR: what a cleanup must stop

_redis_log() { printf '%s\n' "$*" >&2; }

redis_cli() {   # redis_cli PORT ARGS...: one command, reply without carriage returns
	local port=$1
	shift
	redis-cli -h "$REDIS_HOST" -p "$port" "$@" | tr -d '\r'
}

# Whether something listens on PORT, on any address (a listener on 0.0.0.0 would take
# 127.0.0.1's connections too).
_redis_port_taken() {
	if command -v ss >/dev/null; then
		[[ -n $(ss -Htln "( sport = :$1 )" 2>/dev/null) ]]
	else
		(: >"/dev/tcp/$REDIS_HOST/$1") 2>/dev/null
	fi
}

redis_dir_ports() {   # redis_dir_ports DIR
	local d
	for d in "$1"/*/; do
		d=${d%/}
		d=${d##*/}
		[[ $d =~ ^[0-9]+$ ]] && echo "$d"
	done | sort -n
}

# A pid from DIR/<port>/redis.pid that is still a redis-server, or nothing.
_redis_live_pid() {
	local file=$1/$2/redis.pid pid
	[[ -f $file ]] || return 0
	pid=$(cat "$file" 2>/dev/null) || return 0
	[[ $pid =~ ^[0-9]+$ ]] || return 0
	if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -Eq "redis-server.*:$2( |\$)"; then echo "$pid"; fi
}

_redis_node_conf() {   # _redis_node_conf NODEDIR PORT
	cat <<EOF
# Written by bench/redis/cluster.sh
bind $REDIS_HOST
port $2
dir $1
daemonize yes
pidfile $1/redis.pid
logfile $1/redis.log
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout 2000
cluster-require-full-coverage no
appendonly yes
appendfsync everysec
save ""
maxmemory-policy noeviction
repl-diskless-sync-delay 0
EOF
}

# What keeps the nodes PORTS... from being a healthy cluster of MASTERS masters with
# REPLICAS replicas each, on stdout; nothing when it is healthy.
_redis_unhealthy() {   # _redis_unhealthy MASTERS REPLICAS PORTS...
	local masters=$1 replicas=$2 port info nodes owners first_owners="" n
	shift 2
	local count=$#
	for port in "$@"; do
		info=$(redis_cli "$port" CLUSTER INFO 2>&1) || { echo "$port does not answer: $info"; return; }
		[[ $info == *cluster_state:ok* ]] || { echo "$port: cluster_state is not ok"; return; }
		[[ $info == *cluster_slots_ok:16384* ]] || { echo "$port: not all 16384 slots are ok"; return; }
		[[ $info == *"cluster_known_nodes:$count"* ]] || { echo "$port: does not know all $count nodes"; return; }
		nodes=$(redis_cli "$port" CLUSTER NODES) || { echo "$port: no CLUSTER NODES"; return; }
		if awk '{ n = split($3, f, ","); for (i = 1; i <= n; i++) if (f[i] ~ /^(fail|fail\?|handshake|noaddr)$/) bad = 1 } END { exit !bad }' <<<"$nodes"; then
			echo "$port flags a node as failing or joining"; return
		fi
		# Who serves which slots, in a form comparable across the nodes' views.
		owners=$(awk '$3 ~ /master/ && NF > 8 { sub(/@.*/, "", $2); s = $2; for (i = 9; i <= NF; i++) s = s " " $i; print s }' <<<"$nodes" | sort)
		if [[ -z $first_owners ]]; then
			first_owners=$owners
			n=$(grep -c . <<<"$owners")
			((n == masters)) || { echo "$n masters serve slots, not $masters"; return; }
		elif [[ $owners != "$first_owners" ]]; then
			echo "$port sees other slot owners than $1"; return
		fi
	done
	for port in "$@"; do
		info=$(redis_cli "$port" INFO replication)
		if [[ $info == *role:master* ]]; then
			# (a node that never met another one names itself without its address: ":port")
			if grep -q "^[^ ]*:$port " <<<"$first_owners"; then
				n=$(grep -c '^slave[0-9]*:.*state=online' <<<"$info" || true)
				((n >= replicas)) || { echo "master $port streams to $n replicas, not $replicas"; return; }
			else
				echo "$port is a master without slots"; return
			fi
		elif [[ $info != *master_link_status:up* ]]; then
			echo "replica $port: link to its master is not up"; return
		fi
	done
}

redis_start_cluster() {   # redis_start_cluster DIR BASE_PORT REPLICAS [MASTERS]
	local dir=$1 base=$2 replicas=$3 masters=${4:-3} port nodedir i problem=
	local count=$((masters * (1 + replicas)))
	if ((masters == 1 && replicas != 0)) || ((masters == 2)) || ((masters < 1)); then
		_redis_log "a cluster needs 3 or more masters (or exactly 1 master without replicas)"; return 1
	fi
	if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
		_redis_log "redis-server and redis-cli are required (apt-get install -y redis-server)"; return 1
	fi
	if [[ -e $dir ]]; then
		if [[ ! -f $dir/$REDIS_MARKER ]]; then
			_redis_log "$dir exists and was not made by bench/redis/cluster.sh: choose another DIR"; return 1
		fi
		for port in $(redis_dir_ports "$dir"); do
			if [[ -n $(_redis_live_pid "$dir" "$port") ]]; then
				_redis_log "a cluster already runs in $dir (node $port); stop it first (bench/redis/cluster.sh stop)"; return 1
			fi
		done
		rm -rf "$dir"   # the remains of a cluster that is gone
	fi
	REDIS_PORTS=()
	for ((i = 0; i < count; i++)); do REDIS_PORTS+=($((base + i))); done
	for port in "${REDIS_PORTS[@]}"; do
		for p in "$port" $((port + 10000)); do
			if ((p > 65535)) || _redis_port_taken "$p"; then
				_redis_log "port $p of 127.0.0.1 is taken (or out of range): choose another BASE_PORT, or stop what uses it"; return 1
			fi
		done
	done
	mkdir -p "$dir"
	echo "$$" >"$dir/$REDIS_MARKER"
	REDIS_STARTED_DIR=$dir
	for port in "${REDIS_PORTS[@]}"; do
		nodedir=$dir/$port
		mkdir -p "$nodedir"
		_redis_node_conf "$nodedir" "$port" >"$nodedir/redis.conf"
		redis-server "$nodedir/redis.conf" ||
			{ _redis_log "redis-server $port did not start: $(tail -n 5 "$nodedir/redis.log" 2>/dev/null)"; return 1; }
	done
	# Each node answers PING, and is the process of its pid file (not someone else's).
	for port in "${REDIS_PORTS[@]}"; do
		for i in $(seq 1 100); do
			pid=$(_redis_live_pid "$dir" "$port")
			if [[ -n $pid ]] && [[ $(redis_cli "$port" INFO server 2>/dev/null | sed -n 's/^process_id://p') == "$pid" ]]; then
				break
			fi
			if ((i == 100)); then
				_redis_log "redis-server $port did not come up within 10 s: $(tail -n 5 "$dir/$port/redis.log" 2>/dev/null)"; return 1
			fi
			sleep 0.1
		done
	done
	if ((count == 1)); then
		redis_cli "${REDIS_PORTS[0]}" CLUSTER ADDSLOTSRANGE 0 16383 >/dev/null
	else
		local addresses=()
		for port in "${REDIS_PORTS[@]}"; do addresses+=("$REDIS_HOST:$port"); done
		timeout 60 redis-cli --cluster create "${addresses[@]}" --cluster-replicas "$replicas" --cluster-yes \
			>"$dir/cluster-create.log" 2>&1 ||
			{ _redis_log "redis-cli --cluster create failed:"; sed 's/\x1b\[[0-9;]*m//g' "$dir/cluster-create.log" | tail -n 20 >&2; return 1; }
	fi
	for i in $(seq 1 300); do   # at most 60 s
		problem=$(_redis_unhealthy "$masters" "$replicas" "${REDIS_PORTS[@]}")
		[[ -z $problem ]] && break
		if ((i == 300)); then _redis_log "the cluster did not become healthy within 60 s: $problem"; return 1; fi
		sleep 0.2
	done
	REDIS_CLUSTER_NODES=$(printf "$REDIS_HOST:%s," "${REDIS_PORTS[@]}")
	REDIS_CLUSTER_NODES=${REDIS_CLUSTER_NODES%,}
	_redis_log "Redis Cluster up: $masters master(s), $replicas replica(s) each, nodes $REDIS_CLUSTER_NODES, data in $dir"
}

redis_stop_cluster() {   # redis_stop_cluster DIR
	local dir=$1 port pid pids=() child
	[[ -d $dir ]] || return 0
	if [[ ! -f $dir/$REDIS_MARKER ]]; then
		_redis_log "$dir was not made by bench/redis/cluster.sh; not touching it"; return 1
	fi
	for port in $(redis_dir_ports "$dir"); do
		pid=$(_redis_live_pid "$dir" "$port")
		if [[ -n $pid ]]; then
			kill -TERM "$pid" 2>/dev/null || true   # SHUTDOWN: flushes the AOF, ends its forks
			pids+=("$pid")
		fi
	done
	for pid in "${pids[@]}"; do
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do kill -KILL "$child" 2>/dev/null || true; done
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	rm -rf "$dir"
}

# A lone node names itself ":port" in CLUSTER NODES (it learns its address from a peer).
redis_masters() {   # redis_masters PORT: serving masters as host:port, one a line
	redis_cli "$1" CLUSTER NODES | awk -v h="$REDIS_HOST" '$3 ~ /master/ && $3 !~ /fail/ && NF > 8 {
		sub(/@.*/, "", $2); if ($2 ~ /^:/) $2 = h $2; print $2 }' | sort -t: -k2n
}
redis_replicas() {   # redis_replicas PORT
	redis_cli "$1" CLUSTER NODES | awk -v h="$REDIS_HOST" '$3 ~ /slave/ && $3 !~ /fail/ {
		sub(/@.*/, "", $2); if ($2 ~ /^:/) $2 = h $2; print $2 }' | sort -t: -k2n
}

# ---------------------------------------------------------------------------- command line
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -euo pipefail
	BASE_PORT=${BASE_PORT:-7000}
	DIR=${DIR:-/tmp/coupon-redis-cluster}
	usage() { sed -n '/^# Usage:/,/^$/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
	start() {   # start MASTERS REPLICAS
		# Stop what this call started (nothing, if it refused) should it fail or be interrupted.
		trap 'if [[ -n $REDIS_STARTED_DIR ]]; then redis_stop_cluster "$REDIS_STARTED_DIR" || true; fi' EXIT
		trap 'exit 130' INT TERM HUP
		redis_start_cluster "$DIR" "$BASE_PORT" "$2" "$1"
		trap - EXIT
		local seeds acks=
		if (($1 == 1)); then
			seeds=$REDIS_CLUSTER_NODES
			acks='COUPON_REDIS_MINREPLICAACKS=0 '   # no replica to wait for
		else
			seeds=$(redis_masters "$BASE_PORT" | paste -sd,)
		fi
		_redis_log "Run the service on it (and stop the cluster with: DIR=$DIR bench/redis/cluster.sh stop):"
		echo "SPRING_PROFILES_ACTIVE=redis REDIS_NODES=$seeds ${acks}./mvnw spring-boot:run"
	}
	case ${1:-} in
		start) start "${MASTERS:-3}" "${REPLICAS:-1}" ;;
		single) start 1 0 ;;
		stop)
			redis_stop_cluster "$DIR"
			_redis_log "stopped; $DIR removed"
			;;
		status)
			ports=()
			if [[ -d $DIR ]]; then mapfile -t ports < <(redis_dir_ports "$DIR"); fi
			((${#ports[@]} > 0)) || ports=("$BASE_PORT")
			alive=
			for port in "${ports[@]}"; do
				if redis_cli "$port" PING >/dev/null 2>&1; then alive=$port; break; fi
			done
			[[ -n $alive ]] || { _redis_log "no node answers on ${ports[*]}"; exit 1; }
			echo "# CLUSTER INFO (127.0.0.1:$alive)"
			redis_cli "$alive" CLUSTER INFO | grep -E '^cluster_(state|slots_|known_nodes|size)'
			echo "# CLUSTER NODES"
			redis_cli "$alive" CLUSTER NODES | sort -k2
			echo "# nodes"
			for port in "${ports[@]}"; do
				if info=$(redis_cli "$port" INFO 2>/dev/null); then
					awk -v p="$port" -F: '
						/^role:/ { role = $2 } /^used_memory_human:/ { mem = $2 } /^db0:/ { keys = $2 }
						/^connected_slaves:/ { slaves = $2 } /^master_link_status:/ { link = $2 }
						END { printf "127.0.0.1:%s %-6s used_memory=%s %s %s\n", p, role, mem,
							(role == "master") ? "replicas=" slaves : "link=" link, keys }' <<<"$info"
				else
					echo "127.0.0.1:$port down"
				fi
			done
			;;
		*) usage ;;
	esac
fi
