#!/usr/bin/env bash
# Startup time and idle RSS of the service jar (targets: Started in <= 2.5 s, idle RSS <= 250 MB).
#
# Usage:  bench/startup.sh              # recommended flags, RUNS times, median
#         bench/startup.sh --matrix     # every variant below, one line each
#         STARTUP_JVM_FLAGS="-XX:+UseSerialGC -Xmx256m" bench/startup.sh
#         MODE=cds bench/startup.sh     # with an AppCDS archive (trained first, once)
#         JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 MODE=aot bench/startup.sh  # Java 24+ AOT cache
#
# Each run starts the jar (default profile, in-memory store) on a free port of 127.0.0.1,
# takes "Started ... in X seconds (process running for Y)" from its log, waits IDLE_WAIT
# seconds, reads VmRSS from /proc/<pid>/status, and stops it. Nothing calls the service.
#
# Environment (all optional):
#   JAVA_HOME          JDK to run (default: java on PATH)
#   STARTUP_JVM_FLAGS  JVM flags (default: bench/jvm-flags, the recommended set)
#   MODE               plain (java -jar the Boot jar), extracted (the jar unpacked with
#                      -Djarmode=tools extract), cds (extracted + AppCDS dynamic archive) or
#                      aot (extracted + JDK 24+ AOT cache); default plain
#   RUNS=3             runs per configuration; the median is printed
#   IDLE_WAIT=5        seconds after "Started" before RSS is read
#   BUILD=1            build the jar first when target/ has none (BUILD=force: always)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The recommended flags, shared with bench/http/run.sh.
RECOMMENDED_FLAGS=$(grep -v '^#' "$ROOT/bench/jvm-flags" | tr '\n' ' ' | sed 's/  */ /g; s/ $//')
STARTUP_JVM_FLAGS=${STARTUP_JVM_FLAGS-$RECOMMENDED_FLAGS}
MODE=${MODE:-plain}
RUNS=${RUNS:-3}
IDLE_WAIT=${IDLE_WAIT:-5}
BUILD=${BUILD:-1}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
WORK=$ROOT/target/startup
mkdir -p "$WORK"
cd "$ROOT"

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

if [[ $BUILD == force ]] || { [[ $BUILD == 1 ]] && ! compgen -G 'target/coupon-service-*.jar' >/dev/null; }; then
	log "building the jar"
	./mvnw -o -q -DskipTests package
fi
jars=(target/coupon-service-*.jar)
JAR=${jars[0]}
JAVA_FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')

# The Boot jar unpacked into an application jar plus lib/: CDS and the AOT cache can
# only archive classes loaded from plain jars on the class path, not from nested jars.
extracted_jar() {
	local dir=$WORK/extracted
	if [[ ! -f $dir/stamp || $dir/stamp -ot $JAR ]]; then
		rm -rf "$dir"
		"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$dir" >/dev/null
		touch "$dir/stamp"
	fi
	ls "$dir"/coupon-service-*.jar
}

# A training run that starts the context and exits (spring.context.exit=onRefresh),
# writing the archive; redone when the jar, the JDK or the flags change.
archive_flags() {   # archive_flags MODE FLAGS...
	local mode=$1; shift
	local app key archive
	app=$(extracted_jar)
	key=$(printf '%s %s %s' "$JAVA_FEATURE" "$*" "$(stat -c %Y "$app")" | md5sum | cut -c1-12)
	case $mode in
		cds)
			archive=$WORK/app-$key.jsa
			if [[ ! -f $archive ]]; then
				log "training the CDS archive ($archive)"
				"$JAVA" "$@" -XX:ArchiveClassesAtExit="$archive" -Dspring.context.exit=onRefresh -jar "$app" \
					--server.address=127.0.0.1 --server.port=0 >"$WORK/train-$key.log" 2>&1
			fi
			echo "-XX:SharedArchiveFile=$archive -jar $app"
			;;
		aot)
			((JAVA_FEATURE >= 25)) || { log "MODE=aot needs Java 25 (-XX:AOTCacheOutput); this is $JAVA_FEATURE"; exit 1; }
			archive=$WORK/app-$key.aot
			if [[ ! -f $archive ]]; then
				log "training the AOT cache ($archive)"
				"$JAVA" "$@" -XX:AOTCacheOutput="$archive" -Dspring.context.exit=onRefresh -jar "$app" \
					--server.address=127.0.0.1 --server.port=0 >"$WORK/train-$key.log" 2>&1
			fi
			echo "-XX:AOTCache=$archive -jar $app"
			;;
	esac
}

# One start; sets RESULT to "started_s process_s rss_kb". Not in a subshell, so the
# EXIT trap always knows the server's pid.
RESULT=
measure_once() {   # measure_once MODE FLAGS...
	local mode=$1; shift
	local launch out started rss
	case $mode in
		plain) launch="-jar $JAR" ;;
		extracted) launch="-jar $(extracted_jar)" ;;
		cds | aot) launch=$(archive_flags "$mode" "$@") ;;
		*) log "unknown MODE $mode"; exit 1 ;;
	esac
	out=$WORK/run.log
	: >"$out"   # before the launch: the loop below must never read the previous run's log
	# shellcheck disable=SC2086  # $launch is a list of words
	"$JAVA" "$@" $launch --server.address=127.0.0.1 --server.port=0 >"$out" 2>&1 &
	SERVER_PID=$!
	started=
	for _ in $(seq 1 600); do   # at most 60 s
		kill -0 "$SERVER_PID" 2>/dev/null || { log "the service exited:"; tail -n 20 "$out" >&2; exit 1; }
		started=$(sed -n 's/.*Started [A-Za-z]* in \([0-9.]*\) seconds (process running for \([0-9.]*\)).*/\1 \2/p' "$out")
		[[ -n $started ]] && break
		sleep 0.1
	done
	[[ -n $started ]] || { log "no Started line within 60 s"; exit 1; }
	sleep "$IDLE_WAIT"
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status")
	stop_server
	RESULT="$started $rss"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

measure() {   # measure LABEL MODE FLAGS...
	local label=$1 mode=$2; shift 2
	local results=""
	for _ in $(seq 1 "$RUNS"); do
		measure_once "$mode" "$@"
		results+="$RESULT"$'\n'
	done
	local s p r
	s=$(printf '%s' "$results" | awk '{ print $1 }' | median)
	p=$(printf '%s' "$results" | awk '{ print $2 }' | median)
	r=$(printf '%s' "$results" | awk '{ print $3 }' | median)
	printf '%-22s %8s %10s %8.0f   %s %s\n' "$label" "$s" "$p" "$((r / 1024))" "$mode" "${*:-(no flags)}"
}

printf 'java %s (%s), %s runs each, median; RSS read %s s after Started; load average %s\n' \
	"$JAVA_FEATURE" "$JAVA" "$RUNS" "$IDLE_WAIT" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %8s %10s %8s   %s\n' variant started_s process_s rss_mb "mode flags"
if [[ ${1:-} == --matrix ]]; then
	# shellcheck disable=SC2086
	{
		measure "jvm-defaults" plain
		measure "recommended" plain $RECOMMENDED_FLAGS
		measure "serial" plain -XX:+UseSerialGC
		measure "parallel-xmx512m" plain -XX:+UseParallelGC -Xmx512m
		measure "serial-xmx256m" plain -XX:+UseSerialGC -Xmx256m
		measure "maxram-512m" plain -XX:MaxRAM=512m
		measure "recommended+xss512k" plain $RECOMMENDED_FLAGS -Xss512k
		measure "recommended+xss256k" plain $RECOMMENDED_FLAGS -Xss256k
		measure "recommended+c1-only" plain $RECOMMENDED_FLAGS -XX:TieredStopAtLevel=1
		measure "recommended-xshare-off" plain $RECOMMENDED_FLAGS -Xshare:off
		measure "recommended-extracted" extracted $RECOMMENDED_FLAGS
		measure "recommended+appcds" cds $RECOMMENDED_FLAGS
		if ((JAVA_FEATURE >= 25)); then
			measure "recommended+aot-cache" aot $RECOMMENDED_FLAGS
		fi
	}
else
	# shellcheck disable=SC2086
	measure "$( [[ $STARTUP_JVM_FLAGS == "$RECOMMENDED_FLAGS" ]] && echo recommended || echo custom)" "$MODE" $STARTUP_JVM_FLAGS
fi
