# Shared steps of the api-gateway benchmarks; sourced by run-*.sh. Every process started here is
# recorded by PID and stopped by PID on exit.
set -euo pipefail

MODULE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$MODULE_DIR/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/rbtc-gateway-bench.XXXXXX")"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  echo "logs kept in $WORK"
}
trap cleanup EXIT

# 10,000 streams need 10,000+ descriptors in the gateway and in the load generator
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

machine() {
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"\
    "$(free -m | awk '/Mem:/ {print $2}') MiB RAM, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

build() {
  # the executable gateway jar plus the compiled benchmark tools and their classpath
  (cd "$REPO_DIR" && mvn -B -q -pl api-gateway -DskipTests package \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath")
  CP="$MODULE_DIR/target/test-classes:$MODULE_DIR/target/classes:$(cat "$WORK/classpath")"
  JAR="$(ls "$MODULE_DIR"/target/api-gateway-*.jar | grep -v original | head -1)"
}

start_infrastructure() { # $1 = seeded users
  java -Xmx512m -cp "$CP" com.reservebtc.gateway.bench.BenchInfrastructure \
    --dir "$WORK" --users "$1" >"$WORK/infrastructure.log" 2>&1 &
  PIDS+=($!)
  local i
  for i in $(seq 1 600); do
    [ -f "$WORK/infra.properties" ] && break
    kill -0 "${PIDS[-1]}" || { cat "$WORK/infrastructure.log"; exit 1; }
    sleep 0.5
  done
  [ -f "$WORK/infra.properties" ] || { echo "infrastructure did not start"; exit 1; }
  KAFKA="$(grep '^kafka=' "$WORK/infra.properties" | cut -d= -f2- | sed 's/\\:/:/g')"
  JDBC="$(grep '^jdbc=' "$WORK/infra.properties" | cut -d= -f2- | sed 's/\\:/:/g; s/\\=/=/g')"
}

start_gateway() { # $@ = JVM options
  SPRING_KAFKA_BOOTSTRAP_SERVERS="$KAFKA" \
  SPRING_DATASOURCE_URL="$JDBC" \
  RBTC_KAFKA_MIN_REPLICATION=1 RBTC_KAFKA_MIN_INSYNC_REPLICAS=1 \
  SERVER_PORT=0 \
  RBTC_GATEWAY_RATE_LIMIT_TRUSTED_PROXIES=127.0.0.1 \
  MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE=health,info,prometheus,metrics \
    java "$@" -jar "$JAR" >"$WORK/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  PIDS+=($GATEWAY_PID)
  local i
  for i in $(seq 1 240); do
    PORT="$(grep -o 'Netty started on port [0-9]*' "$WORK/gateway.log" | grep -o '[0-9]*$' || true)"
    [ -n "$PORT" ] && break
    kill -0 "$GATEWAY_PID" || { tail -50 "$WORK/gateway.log"; exit 1; }
    sleep 0.5
  done
  [ -n "$PORT" ] || { echo "gateway did not start"; exit 1; }
  URL="http://127.0.0.1:$PORT"
  echo "gateway pid $GATEWAY_PID at $URL ($*)"
}
