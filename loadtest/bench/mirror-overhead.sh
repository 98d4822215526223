#!/usr/bin/env bash
# Measures what dual writes cost: pgbench (TPC-B-like) and the loadtest mix, each against
# PostgreSQL directly, through tandem in pass-through (no new store) and through tandem mirroring
# every commit to a new store, interleaved in one run on one machine. Prints median throughput,
# p50/p99 latency and the ratios mirrored ÷ direct and mirrored ÷ pass-through, then audits the old
# store against the new one to show the mirrored runs left them equal.
#
# With TANDEM_BASELINE=<git ref> it also runs a mirroring tandem as built at that commit
# ("baseline"), in front of the same stores, interleaved with the others.
#
#   loadtest/bench/mirror-overhead.sh [--duration 10] [--rounds 3] [--warmup 20] [--clients 8] [--threads 2]
#       [--scale 10] [--protocol simple|extended] [--keyless statement|exclude]
#       [--mirror-timeout 2s] [--mix inserts=30,updates=25,...]
#
# One throwaway PostgreSQL cluster holds three databases with the same schema and data (pgbench -i
# and the loadtest's demo schema): old and new, the stores of the mirroring tandem, and plain, a
# copy of old made before any load, which the direct and pass-through runs write to. They cannot
# write to old: their writes would not reach new, and the audit at the end could no longer tell
# whether mirroring lost anything.
#
# pgbench_history has no primary key. --keyless statement (the default, as tandem's) mirrors it by
# replaying pgbench's INSERT on the new store after the commit, so every write of TPC-B-like is
# mirrored; its mtime (CURRENT_TIMESTAMP) is then the replay's time, so the audit compares that
# table's rows without mtime. --keyless exclude leaves it on the old store only (a cheaper mirror
# that does not do the whole job).
#
# Needs: pgbench and a PostgreSQL server's binaries (Debian: postgresql-15), a JDK >= 21, the
# loadtest jar (built here when missing) and jq for the mirror's status. Starts its own throwaway
# PostgreSQL and two tandems on loopback ports and removes them at the end. Exit code 0 when every
# run was free of errors and the audit clean, 1 otherwise.
set -euo pipefail

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
duration=10 rounds=3 warmup=20 clients=8 threads=2 scale=10 protocol=simple keyless=statement mirror_timeout=2s mix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --protocol) protocol=$2; shift 2 ;;
    --keyless) keyless=$2; shift 2 ;;
    --mirror-timeout) mirror_timeout=$2; shift 2 ;;
    --mix) mix=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
case "$protocol" in simple|extended) ;; *) echo "--protocol is simple or extended" >&2; exit 2 ;; esac
case "$keyless" in statement|exclude) ;; *) echo "--keyless is statement or exclude" >&2; exit 2 ;; esac

# other ports than pgbench.sh's, so that both can run at once
pg_port=55532 plain_port=57532 plain_admin=57590 mirror_port=57533 mirror_admin=57591 baseline_port=57534 baseline_admin=57592
. "$(dirname "$(readlink -f "$0")")/common.sh"

java=$(find_java)
[ -n "$java" ] || { echo "needs Java 21 or newer (JAVA_HOME, java on PATH or /usr/lib/jvm)" >&2; exit 1; }
command -v jq >/dev/null || { echo "needs jq: apt install jq" >&2; exit 1; }
jar="$root/loadtest/target/tandem-loadtest.jar"
if [ ! -f "$jar" ]; then
  echo "building $jar (once; takes a minute) ..."
  (cd "$root" && mvn -B -q -DskipTests -pl loadtest -am package)
fi
loadtest() { "$java" -jar "$jar" "$@"; }

# --- PostgreSQL: old, new and plain ---------------------------------------------------------------------
start_postgres "$pg_port"
psql_on() { local db=$1; shift; psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"; }
echo "initializing pgbench data (scale $scale) and the demo schema in old and new ..."
for db in old new; do
  as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "$db"
  pgbench -i -q -s "$scale" -h 127.0.0.1 -p "$pg_port" -U postgres "$db" >"$work/init-$db.log" 2>&1 ||
    { cat "$work/init-$db.log"; exit 1; }
  # --create-schema creates the demo tables; the run also inserts a hot user and its content rows,
  # with random ids that differ between old and new: emptied, so that both start out equal
  loadtest run --url "jdbc:postgresql://127.0.0.1:$pg_port/$db" --create-schema --clients 1 --operations 1 \
    --mix reads=1 >"$work/schema-$db.log" 2>&1 || { cat "$work/schema-$db.log"; exit 1; }
  psql_on "$db" -c "TRUNCATE analytics_events, content, users RESTART IDENTITY"
done
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres -T old plain

# --- tandem: pass-through in front of plain, mirroring from old to new ----------------------------------------
cat > "$work/passthrough.yaml" <<YAML
listen: 127.0.0.1:$plain_port
admin:
  listen: 127.0.0.1:$plain_admin
stores:
  old:
    url: jdbc:postgresql://127.0.0.1:$pg_port/plain
    user: postgres
    pool:
      mode: session
      maxSize: 20
YAML
cat > "$work/mirrored.yaml" <<YAML
listen: 127.0.0.1:$mirror_port
admin:
  listen: 127.0.0.1:$mirror_admin
stores:
  old:
    url: jdbc:postgresql://127.0.0.1:$pg_port/old
    user: postgres
    pool:
      mode: session
      maxSize: 20
  new:
    url: jdbc:postgresql://127.0.0.1:$pg_port/new
    user: postgres
    pool:
      mode: session
      maxSize: 20
migration:
  keyless: $keyless
  mirror:
    timeout: $mirror_timeout
YAML
start_tandem passthrough "$plain_admin"
start_tandem mirrored "$mirror_admin"
prepare_baseline
if [ -n "$baseline_bin" ]; then
  # the baseline mirrors the same old store to the same new one, as the current code does; runs never overlap
  sed -e "s/127.0.0.1:$mirror_port/127.0.0.1:$baseline_port/" -e "s/127.0.0.1:$mirror_admin/127.0.0.1:$baseline_admin/" \
    "$work/mirrored.yaml" >"$work/baseline.yaml"
  start_tandem baseline "$baseline_admin" "$baseline_bin"
fi
echo "tandem's mirror plan:"
grep -E 'MirroredTables - +[^ ]+: (mirrored by|excluded)' "$work/mirrored.log" | sed -E 's/^.*MirroredTables - +/  /' || true

target_port() { case $1 in direct) echo "$pg_port" ;; passthrough) echo "$plain_port" ;; mirrored) echo "$mirror_port" ;;
  baseline) echo "$baseline_port" ;; esac; }
target_db() { case $1 in mirrored|baseline) echo old ;; *) echo plain ;; esac; }

failures=()
run_count=0
run() { # target workload seconds: sets result to "throughput p50_ms p99_ms"; a run with errors goes to failures
  local port db log
  port=$(target_port "$1") db=$(target_db "$1")
  run_count=$((run_count + 1)) log="$work/run-$run_count"
  if [ "$2" = tpcb ]; then
    pgbench -h 127.0.0.1 -p "$port" -U postgres -n -c "$clients" -j "$threads" -T "$3" -M "$protocol" \
      -l --log-prefix="$log.pgbench" "$db" >"$log.out" 2>&1 || echo "exit code $?" >>"$log.out"
    if grep -qE 'aborted|exit code|^pgbench: error' "$log.out" || ! grep -qE '^number of failed transactions: 0 ' "$log.out"; then
      failures+=("pgbench through $1: $(grep -E 'aborted|error|failed transactions|exit code' "$log.out" | head -3 | tr '\n' ' ')")
    fi
    result="$(awk '/^tps = / { print $3 }' "$log.out") $(pgbench_latency "$log".pgbench.*)"
    rm -f "$log".pgbench.*
  else
    loadtest run --url "jdbc:postgresql://127.0.0.1:$port/$db" --clients "$clients" --duration "${3}s" \
      --seed "$run_count" ${mix:+--mix "$mix"} >"$log.out" 2>&1 || echo "exit code $?" >>"$log.out"
    if grep -q 'exit code' "$log.out"; then
      failures+=("loadtest through $1: $(grep -E '^unexpected errors|first:|^anomalies|Exception|exit code' "$log.out" | head -4 | tr '\n' ' ')")
    fi
    # "N operations in S s by C clients: R ops/s; latency (us) mean M, p50 P, p99 Q, max X"
    result=$(sed -nE 's/.*: ([0-9.]+) ops\/s; latency \(us\) mean [0-9.]+, p50 ([0-9]+), p99 ([0-9]+),.*/\1 \2 \3/p' "$log.out" |
      awk '{ printf "%s %.3f %.3f\n", $1, $2 / 1000, $3 / 1000 } END { if (NR == 0) print "nan nan nan" }')
  fi
}

targets=(direct passthrough mirrored)
[ -n "$baseline_bin" ] && targets+=(baseline)
workloads=(tpcb loadtest)
# the JIT compiles the mirror's code paths for several seconds of CPU: a short warm-up makes mirroring
# look far dearer than it is
echo "warming up (JIT, caches): ${warmup}s per target and workload ..."
for t in "${targets[@]}"; do run "$t" tpcb "$warmup"; run "$t" loadtest "$warmup"; done

echo "measuring: $rounds interleaved rounds of ${duration}s per run, $clients clients, $threads pgbench threads, $(nproc) cores"
declare -A thr p50 p99
for workload in "${workloads[@]}"; do
  for round in $(seq 1 "$rounds"); do
    # each target takes each place in the order equally often, so that no one always runs last
    shift_by=$(( (round - 1) % ${#targets[@]} ))
    order=("${targets[@]:shift_by}" "${targets[@]:0:shift_by}")
    for t in "${order[@]}"; do
      run "$t" "$workload" "$duration"
      read -r r a b <<<"$result"
      thr[$workload,$t]+="$r " p50[$workload,$t]+="$a " p99[$workload,$t]+="$b "
      printf '  %-8s round %d %-11s %10.1f %-5s  p50 %7.3f ms  p99 %7.3f ms\n' "$workload" "$round" "$t" "$r" \
        "$([ "$workload" = tpcb ] && echo tps || echo ops/s)" "$a" "$b"
    done
  done
done

# --- the mirror's account, once it has caught up ----------------------------------------------------------
status() { curl -fs "http://127.0.0.1:$mirror_admin/api/status"; }
for _ in $(seq 1 120); do
  [ "$(status | jq -r '[.. | objects | select(has("backlogRows")) | .backlogRows] | add // 0')" = 0 ] && break
  sleep 1
done
mirror_status=$(status | jq -c '.. | objects | select(has("commits") and has("repair")) | {commits, repair, refusedStatements}' || true)
curl -fs "http://127.0.0.1:$mirror_admin/metrics" >"$work/metrics.txt" || true
# time from commit on the old store to synced on the new one (Micrometer's timer tandem.mirror.seconds)
sync_time=$(awk '/^tandem_mirror_sync_seconds_sum/ { s = $NF } /^tandem_mirror_sync_seconds_count/ { n = $NF }
  /^tandem_mirror_sync_seconds_max/ { m = $NF } END { if (n > 0) printf "mean %.2f ms over %d commits, max %.0f ms (recent)", 1000 * s / n, n, 1000 * m }' "$work/metrics.txt")

# --- audit: old against new ----------------------------------------------------------------------------------
echo
echo "audit of old against new after the mirrored runs:"
audit_ok=1
audit_tables=pgbench_accounts,pgbench_branches,pgbench_tellers,users,content,analytics_events
if ! loadtest audit --old "jdbc:postgresql://127.0.0.1:$pg_port/old" --old-user postgres \
    --new "jdbc:postgresql://127.0.0.1:$pg_port/new" --new-user postgres --tables "$audit_tables" >"$work/audit.out" 2>&1; then
  audit_ok=0
fi
sed 's/^/  /' "$work/audit.out"
# pgbench_history has no key to pair rows by: compare it as a multiset of (tid, bid, aid, delta)
history_rows() { psql_on "$1" -At -c "SELECT tid, bid, aid, delta FROM pgbench_history ORDER BY 1, 2, 3, 4" | md5sum | cut -c1-32; }
history_count() { psql_on "$1" -At -c "SELECT count(*) FROM pgbench_history"; }
old_count=$(history_count old) new_count=$(history_count new)
if [ "$keyless" = exclude ]; then
  echo "  pgbench_history: not mirrored (--keyless exclude): $old_count rows in old, $new_count in new"
elif [ "$(history_rows old)" = "$(history_rows new)" ]; then
  echo "  pgbench_history: same $old_count rows (tid, bid, aid, delta) in both; mtime not compared (replayed CURRENT_TIMESTAMP)"
else
  audit_ok=0
  echo "  pgbench_history: DIFFERENT: $old_count rows in old, $new_count in new (compared as a multiset of tid, bid, aid, delta)"
fi
balances() { psql_on "$1" -At -c "SELECT (SELECT sum(abalance) FROM pgbench_accounts) || ' ' || (SELECT sum(tbalance) FROM pgbench_tellers) || ' ' || (SELECT sum(bbalance) FROM pgbench_branches) || ' ' || (SELECT coalesce(sum(delta), 0) FROM pgbench_history)"; }
echo "  balances (accounts tellers branches history): old $(balances old), new $(balances new)"
echo "  mirror status: $mirror_status"
echo "  mirror sync time: ${sync_time:-not in /metrics}"

# --- results ------------------------------------------------------------------------------------------------
label() { case $1 in tpcb) echo "pgbench TPC-B-like ($protocol)" ;; loadtest) echo "loadtest mix" ;; esac; }
unit() { case $1 in tpcb) echo TPS ;; loadtest) echo ops/s ;; esac; }
tname() { case $1 in direct) echo direct ;; passthrough) echo "tandem pass-through" ;; mirrored) echo "tandem mirrored" ;;
  baseline) echo "tandem mirrored, $TANDEM_BASELINE" ;; esac; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
grouped() { awk -v v="$1" 'BEGIN { s = sprintf("%.0f", v); o = ""; while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } print s o }'; }

echo
echo "median of $rounds rounds ($(date -u +%Y-%m-%d), $(nproc) cores, $clients clients, ${duration}s per run, scale $scale," \
  "keyless: $keyless, mirror timeout $mirror_timeout; load average before: $load_before):"
echo
echo "| workload | target | throughput | p50 ms | p99 ms | ÷ direct | ÷ pass-through |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for workload in "${workloads[@]}"; do
  d=$(echo "${thr[$workload,direct]}" | median) p=$(echo "${thr[$workload,passthrough]}" | median)
  for t in "${targets[@]}"; do
    m=$(echo "${thr[$workload,$t]}" | median)
    vs_d="" vs_p=""
    [ "$t" != direct ] && vs_d=$(ratio "$m" "$d")
    [ "$t" = mirrored ] || [ "$t" = baseline ] && vs_p=$(ratio "$m" "$p")
    printf '| %s | %s | %s %s | %.2f | %.2f | %s | %s |\n' "$(label "$workload")" "$(tname "$t")" "$(grouped "$m")" \
      "$(unit "$workload")" "$(echo "${p50[$workload,$t]}" | median)" "$(echo "${p99[$workload,$t]}" | median)" "$vs_d" "$vs_p"
  done
done
echo
echo "audit: $([ "$audit_ok" = 1 ] && echo "clean, old and new hold the same rows" || echo "DIFFERENCES, see above")"
if [ ${#failures[@]} -gt 0 ]; then
  echo "runs with errors (${#failures[@]}):"
  printf '  %s\n' "${failures[@]}"
fi
[ "$audit_ok" = 1 ] && [ ${#failures[@]} -eq 0 ]
