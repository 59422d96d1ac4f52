#!/usr/bin/env bash
# Concurrent server-sent-event streams on one gateway instance with a 1 GiB heap. Three processes on
# loopback: the infrastructure (KRaft broker + Postgres), the packaged gateway, and the stream
# clients, which also push the events through Kafka.
# Usage: bench/run-sse-bench.sh [streams=10000] [rounds=1] [push rate/s, 0 = one burst per round=0]
source "$(dirname "$0")/lib.sh"
STREAMS="${1:-10000}"
ROUNDS="${2:-1}"
PUSH_RATE="${3:-0}"

machine
echo "descriptor limit: $(ulimit -n)"
build
start_infrastructure 10
start_gateway -Xmx1g
java -cp "$CP" com.reservebtc.gateway.bench.GatewayReady --url "$URL" \
  --expect-records "$(cat "$WORK/seeded.count")"
java -Xmx1g -cp "$CP" com.reservebtc.gateway.bench.SseLoad \
  --url "$URL" --kafka "$KAFKA" --streams "$STREAMS" --rounds "$ROUNDS" --push-rate "$PUSH_RATE" \
  --gateway-pid "$GATEWAY_PID"
echo "gateway RSS: $(grep VmRSS /proc/$GATEWAY_PID/status)"
