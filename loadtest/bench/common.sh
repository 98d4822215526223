# Helpers shared by the benchmarks in this directory; sourced, not run. Sets root (the checkout),
# work (a temporary directory removed at exit with everything started from it) and pg_bin, and
# defines as_pg, find_java, start_postgres, start_tandem, median and pgbench_latency.
#
# TANDEM_BENCH_KEEP=1 keeps the temporary directory with its logs (the processes are stopped).
# A script that starts more than start_postgres and start_tandem do appends its process ids to
# pids, or defines extra_cleanup.

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
work=$(mktemp -d /tmp/tandem-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if declare -F extra_cleanup >/dev/null; then extra_cleanup || true; fi
  declare -F remove_baseline >/dev/null && { remove_baseline || true; }
  [ -n "${pg_bin:-}" ] && [ -d "$work/pgdata" ] && as_pg "$pg_bin/pg_ctl" -D "$work/pgdata" -m fast stop >/dev/null 2>&1 || true
  if [ -n "${TANDEM_BENCH_KEEP:-}" ]; then echo "kept $work (logs of PostgreSQL, tandem and every run)" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- tools ----------------------------------------------------------------------------------------
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "needs PostgreSQL's server binaries: apt install postgresql-15" >&2; exit 1
fi
command -v pgbench >/dev/null || { echo "needs pgbench: apt install postgresql-client-15" >&2; exit 1; }
runner=postgres; id -u postgres >/dev/null 2>&1 || runner=nobody
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u "$runner" -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown "$runner" "$work"

# a JDK >= 21 for the loadtest jar, found as bin/tandem finds one: $JAVA_HOME, java on PATH, then
# the newest under /usr/lib/jvm
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}
find_java() {
  local candidate version best="" best_version=0
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)"; do
    [ -x "$candidate" ] || continue
    version=$(java_major "$candidate")
    if [ -n "$version" ] && [ "$version" -ge 21 ]; then echo "$candidate"; return; fi
  done
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    version=$(java_major "$candidate")
    if [ -n "$version" ] && [ "$version" -gt "$best_version" ]; then best=$candidate; best_version=$version; fi
  done
  if [ "$best_version" -ge 21 ]; then echo "$best"; fi
}

# --- PostgreSQL -------------------------------------------------------------------------------------
start_postgres() { # port: a throwaway cluster in $work/pgdata, trust authentication, user postgres
  echo "starting PostgreSQL ($("$pg_bin/postgres" --version)) on port $1 ..."
  as_pg "$pg_bin/initdb" -D "$work/pgdata" -A trust -U postgres >/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$work/pgdata" -l "$work/pg.log" -w -o \
    "-p $1 -k $work -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c fsync=off -c synchronous_commit=off" \
    start >/dev/null
}

# --- tandem -----------------------------------------------------------------------------------------
start_tandem() { # name admin_port [launcher]: runs bin/tandem serve --config $work/name.yaml, logs to $work/name.log
  "${3:-$root/bin/tandem}" serve --config "$work/$1.yaml" >"$work/$1.log" 2>&1 & pids+=($!)
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.2
  done
  curl -fs "http://127.0.0.1:$2/health/ready" >/dev/null || { echo "tandem ($1) did not start:"; cat "$work/$1.log"; exit 1; }
}

# TANDEM_BASELINE=<git ref> (a commit, tag or branch of this checkout): the scripts that support it
# also measure tandem as built at that commit, in the same run, as target "baseline"; it is checked
# out and built in $work (a minute), and prepare_baseline sets baseline_bin to its launcher.
baseline_bin=""
prepare_baseline() {
  [ -n "${TANDEM_BASELINE:-}" ] || return 0
  echo "building the baseline, tandem at $TANDEM_BASELINE ($(git -C "$root" rev-parse --short "$TANDEM_BASELINE")) ..."
  git -C "$root" worktree add -q --detach "$work/baseline" "$TANDEM_BASELINE"
  "$work/baseline/bin/tandem" --version >"$work/baseline-build.log" 2>&1 || { cat "$work/baseline-build.log"; exit 1; }
  baseline_bin="$work/baseline/bin/tandem"
}
remove_baseline() { [ -d "$work/baseline" ] && git -C "$root" worktree remove --force "$work/baseline"; }

# --- statistics -------------------------------------------------------------------------------------
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

pgbench_latency() { # pgbench per-transaction log files (-l) -> "p50_ms p99_ms"
  cat "$@" | awk '{ print $3 }' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan nan"; exit }
      p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]; printf "%.3f %.3f\n", p50 / 1000, p99 / 1000 }'
}
