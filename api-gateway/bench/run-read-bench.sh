#!/usr/bin/env bash
# Read API latency at a fixed arrival rate on cached data. Three processes on loopback: the
# infrastructure (KRaft broker + Postgres, seeded), the packaged gateway, and the open-loop load
# generator. Usage: bench/run-read-bench.sh [rate=2000] [seconds=60] [users=2000] [gateway heap=512m]
# "Cached data": every path (2,000 users x 7 endpoints + proof-of-reserves) is requested once
# before the warm-up, and the gateway runs with a 10 min cache TTL (CACHE_TTL to change it), so the
# measured minute reads cached entries; on one instance the TTL does not affect freshness, the
# projections invalidate on commit.
source "$(dirname "$0")/lib.sh"
RATE="${1:-2000}"
SECONDS_MEASURED="${2:-60}"
USERS="${3:-2000}"
HEAP="${4:-512m}"
export RBTC_GATEWAY_CACHE_TTL="${CACHE_TTL:-10m}"

machine
build
start_infrastructure "$USERS"
start_gateway "-Xmx$HEAP"
echo "gateway cache TTL $RBTC_GATEWAY_CACHE_TTL"
java -Xmx512m -cp "$CP" com.reservebtc.gateway.bench.ReadLoad \
  --url "$URL" --users "$WORK/users.txt" --expect-records "$(cat "$WORK/seeded.count")" \
  --rate "$RATE" --warmup 15 --duration "$SECONDS_MEASURED" --connections 64 --clients 1000
