#!/usr/bin/env bash
# Live heap of 1,000,000 coupons in the in-memory store (target: <= 100 MB, ~100 B each).
#
# Usage:  bench/memory/run.sh                 # 1,000,000 plain coupons
#         bench/memory/run.sh 1000000 ttl     # each with its own expiry
#         bench/memory/run.sh 1000000 redeemed  # redeemed with a reference
#         JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/memory/run.sh
#
# Runs com.example.couponservice.bench.StoreMemory (src/jmh/java) through the jmh Maven
# profile, offline. It fills an InMemoryCouponStore, forces full GCs, and prints heap used
# before/after, bytes per coupon and the top of the class histogram. Serial GC with a
# fixed heap makes "used after a full GC" exact; the figure does not depend on the GC.
# Not timing-sensitive: a busy machine only makes it slower (about 10-30 s).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
COUNT=${1:-1000000}
KIND=${2:-plain}
JVM_ARGS=${MEMORY_JVM_FLAGS:--XX:+UseSerialGC -Xms1g -Xmx1g}

cd "$ROOT"
./mvnw -o -q -Pjmh test-compile exec:exec \
	-Dbench.main=com.example.couponservice.bench.StoreMemory \
	-Dbench.jvmArgs="$JVM_ARGS" -Dbench.args="$COUNT $KIND"
