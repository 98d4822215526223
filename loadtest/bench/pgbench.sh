#!/usr/bin/env bash
# Measures what sitting in the hot path costs: pgbench against PostgreSQL directly, through
# PgBouncer (session pooling) and through tandem (pass-through, session pooling), interleaved in
# one run on one machine, and prints TPS, average latency and each one's ratio to direct.
#
#   loadtest/bench/pgbench.sh [--duration 10] [--rounds 3] [--clients 8] [--scale 10]
#
# With TANDEM_BASELINE=<git ref> it also runs tandem as built at that commit ("baseline"), the same
# way, interleaved with the others: the current code against an older one on the same machine.
#
# Needs: pgbench and a PostgreSQL server's binaries (Debian: postgresql-15), pgbouncer (installed
# with apt when missing and run as root), a JDK >= 21 (bin/tandem finds it). Starts its own
# throwaway PostgreSQL, PgBouncer and tandem on loopback ports and removes them at the end.
set -euo pipefail

duration=10 rounds=3 clients=8 threads=2 scale=10
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

pg_port=55432 bouncer_port=56432 tandem_port=57432 admin_port=57490 baseline_port=57433 baseline_admin=57491
. "$(dirname "$(readlink -f "$0")")/common.sh"
extra_cleanup() { [ -f "$work/pgbouncer.pid" ] && kill "$(cat "$work/pgbouncer.pid")" 2>/dev/null; }

if ! command -v pgbouncer >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing pgbouncer ..."; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
  else
    echo "needs pgbouncer: apt install pgbouncer" >&2; exit 1
  fi
fi

# --- PostgreSQL -------------------------------------------------------------------------------------
start_postgres "$pg_port"
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres bench
echo "initializing pgbench data (scale $scale) ..."
pgbench -i -q -s "$scale" -h 127.0.0.1 -p "$pg_port" -U postgres bench >/dev/null 2>&1

# --- PgBouncer, session pooling -----------------------------------------------------------------------
cat > "$work/pgbouncer.ini" <<INI
[databases]
bench = host=127.0.0.1 port=$pg_port dbname=bench user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bouncer_port
unix_socket_dir =
auth_type = any
pool_mode = session
max_client_conn = 200
default_pool_size = 20
logfile = $work/pgbouncer.log
pidfile = $work/pgbouncer.pid
INI
[ "$(id -u)" = 0 ] && chown "$runner" "$work/pgbouncer.ini"
as_pg pgbouncer -d -q "$work/pgbouncer.ini" </dev/null >"$work/pgbouncer.out" 2>&1

# --- tandem, pass-through with session pooling -------------------------------------------------------------
cat > "$work/tandem.yaml" <<YAML
listen: 127.0.0.1:$tandem_port
database: bench
admin:
  listen: 127.0.0.1:$admin_port
stores:
  old:
    url: jdbc:postgresql://127.0.0.1:$pg_port/bench
    user: postgres
    pool:
      mode: session
      maxSize: 20
YAML
start_tandem tandem "$admin_port"
prepare_baseline
if [ -n "$baseline_bin" ]; then
  sed -e "s/127.0.0.1:$tandem_port/127.0.0.1:$baseline_port/" -e "s/127.0.0.1:$admin_port/127.0.0.1:$baseline_admin/" \
    "$work/tandem.yaml" >"$work/baseline.yaml"
  start_tandem baseline "$baseline_admin" "$baseline_bin"
fi
pg_isready -q -h 127.0.0.1 -p "$bouncer_port" -d bench -t 10 || { echo "pgbouncer did not start"; exit 1; }

port_of() { case $1 in direct) echo "$pg_port" ;; pgbouncer) echo "$bouncer_port" ;; tandem) echo "$tandem_port" ;;
  baseline) echo "$baseline_port" ;; esac; }

run() { # target workload protocol seconds -> "tps latency_ms"
  local flags=()
  [ "$2" = select-only ] && flags+=(-S)
  pgbench -h 127.0.0.1 -p "$(port_of "$1")" -U postgres -n -c "$clients" -j "$threads" -T "$4" -M "$3" "${flags[@]}" bench 2>&1 |
    awk '/^latency average/ { lat = $4 } /^tps = / { tps = $3 } END { printf "%s %s\n", tps, lat }'
}

targets=(direct pgbouncer tandem)
[ -n "$baseline_bin" ] && targets+=(baseline)
echo "warming up (JIT, caches) ..."
for t in "${targets[@]}"; do run "$t" select-only extended 5 >/dev/null; run "$t" tpcb-like simple 3 >/dev/null; done

echo "measuring: $rounds interleaved rounds of ${duration}s per run, $clients clients, $threads pgbench threads, $(nproc) cores"
declare -A tps lat
for workload in select-only tpcb-like; do
  for protocol in simple extended; do
    for round in $(seq 1 "$rounds"); do
      # each target takes each place in the order equally often, so that no one always runs last
      shift_by=$(( (round - 1) % ${#targets[@]} ))
      order=("${targets[@]:shift_by}" "${targets[@]:0:shift_by}")
      for t in "${order[@]}"; do
        read -r r l < <(run "$t" "$workload" "$protocol" "$duration")
        tps[$workload,$protocol,$t]+="$r "
        lat[$workload,$protocol,$t]+="$l "
        printf '  %-11s %-8s round %d %-9s %10.1f tps  %6.3f ms\n' "$workload" "$protocol" "$round" "$t" "$r" "$l"
      done
    done
  done
done

echo
echo "median of $rounds rounds ($(date -u +%Y-%m-%d), $(nproc) cores, pgbench -c $clients -j $threads -T $duration, scale $scale):"
printf '%-12s %-9s %-10s %10s %12s %9s\n' workload protocol target tps "latency ms" "vs direct"
for workload in select-only tpcb-like; do
  for protocol in simple extended; do
    direct_tps=$(echo "${tps[$workload,$protocol,direct]}" | median)
    for t in "${targets[@]}"; do
      m=$(echo "${tps[$workload,$protocol,$t]}" | median)
      ml=$(echo "${lat[$workload,$protocol,$t]}" | median)
      printf '%-12s %-9s %-10s %10.1f %12.3f %8.0f%%\n' "$workload" "$protocol" "$t" "$m" "$ml" \
        "$(awk -v a="$m" -v b="$direct_tps" 'BEGIN { print 100 * a / b }')"
    done
  done
done
