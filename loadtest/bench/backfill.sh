#!/usr/bin/env bash
# Times copying a SQLite database into PostgreSQL, in one run on one machine, three ways: pgloader
# (Debian's package), a plain COPY FROM of the same rows as CSV (the ceiling: no conversion, no
# conflict check), and tandem's backfill; then times tandem's verification of the copy; then the
# same rows from PostgreSQL to PostgreSQL, pg_dump --data-only | psql against tandem's backfill.
#
#   loadtest/bench/backfill.sh [--users N]   (default 1000000; events are twice as many)
#
# The dataset: users (integer key, email unique, ~200-byte payload, a timestamp, a real) and events
# (integer key, a foreign key to users, a JSON payload), with a few indexes, as an application's
# SQLite export has them. Every tool loads into a fresh database with the same tables, keys and
# foreign keys created beforehand (pgloader creates its own, it does not copy constraints; it runs
# with a 4 GB heap, since at a million rows its default one is exhausted).
# Needs: PostgreSQL's server binaries (postgresql-15), pgloader, python3, a JDK >= 21 and Maven.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/common.sh"

users=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    *) echo "usage: $0 [--users N]" >&2; exit 2 ;;
  esac
done
events=$((users * 2))
command -v pgloader >/dev/null || { echo "needs pgloader: apt install pgloader" >&2; exit 1; }
pg_port=55432

echo "building the SQLite dataset: $users users, $events events ..."
python3 - "$work/app.db" "$users" "$events" <<'PY'
import sqlite3, sys, random, json
path, users, events = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = sqlite3.connect(path)
db.executescript("""
PRAGMA journal_mode = WAL;
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, bio TEXT,
  score REAL, created_at TIMESTAMP NOT NULL);
CREATE TABLE events (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL, payload JSON, at TIMESTAMP NOT NULL);
CREATE INDEX events_user ON events(user_id);
CREATE INDEX events_at ON events(at);
""")
rnd = random.Random(7)
filler = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
def user(i):
    return (i, f"user{i}@example.com", f"User {i}", (filler * 3)[: 120 + i % 60], rnd.random() * 1000,
            f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{i % 59:02d}")
def event(i):
    return (i, 1 + rnd.randrange(users), rnd.choice(["view", "click", "share"]),
            json.dumps({"page": f"/items/{i % 977}", "ref": filler[: 40 + i % 40]}),
            f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{i % 59:02d}")
for start in range(1, users + 1, 50000):
    db.executemany("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)", (user(i) for i in range(start, min(users, start + 49999) + 1)))
for start in range(1, events + 1, 50000):
    db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)", (event(i) for i in range(start, min(events, start + 49999) + 1)))
db.commit()
db.close()
PY
chmod -R a+rwX "$work"
rows=$((users + events))

start_postgres "$pg_port"
psql_pg() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
schema="CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, name text, bio text, score float8,
  created_at timestamp NOT NULL);
CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id), kind text NOT NULL,
  payload jsonb, at timestamp NOT NULL);
CREATE INDEX events_user ON events(user_id);
CREATE INDEX events_at ON events(at);"
for db in copy tandem pgloader; do psql_pg -d postgres -c "CREATE DATABASE $db"; done
psql_pg -d copy -c "$schema"
psql_pg -d tandem -c "$schema"

seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", (e - s) / 1e9 }'; }

echo "COPY FROM of the rows as CSV (exported first, not timed) ..."
sqlite3 -csv "$work/app.db" "SELECT * FROM users" > "$work/users.csv"
sqlite3 -csv "$work/app.db" "SELECT * FROM events" > "$work/events.csv"
t0=$(date +%s%N)
psql_pg -d copy -c "\\copy users FROM '$work/users.csv' (FORMAT csv)" -c "\\copy events FROM '$work/events.csv' (FORMAT csv)"
t1=$(date +%s%N)
copy_s=$(seconds "$t0" "$t1")

echo "pgloader ..."
t0=$(date +%s%N)
pgloader --dynamic-space-size 4096 --quiet "sqlite://$work/app.db" "postgresql://postgres@127.0.0.1:$pg_port/pgloader" > "$work/pgloader.log" 2>&1 \
  || { echo "pgloader failed:"; tail -20 "$work/pgloader.log"; exit 1; }
t1=$(date +%s%N)
pgloader_s=$(seconds "$t0" "$t1")

echo "tandem backfill ..."
cat > "$work/tandem.yaml" <<YAML
stores:
  old:
    url: jdbc:sqlite:$work/app.db
  new:
    url: jdbc:postgresql://127.0.0.1:$pg_port/tandem
    user: postgres
YAML
"$root/bin/tandem" --version >/dev/null # build outside the timing
t0=$(date +%s%N)
"$root/bin/tandem" backfill --config "$work/tandem.yaml" --no-snapshot > "$work/backfill.log" 2>&1 \
  || { echo "tandem backfill failed:"; tail -20 "$work/backfill.log"; exit 1; }
t1=$(date +%s%N)
tandem_s=$(seconds "$t0" "$t1")
copied=$(psql_pg -d tandem -At -c "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM events)")
[ "$copied" = "$rows" ] || { echo "tandem's copy has $copied rows of $rows"; exit 1; }

# The verification is timed three times and the median kept: it is CPU-bound (tandem hashes the SQLite
# rows, PostgreSQL its own), and on a small shared machine one run varies by a fifth. Each run's CPU,
# tandem's and the server's, is printed with it: their sum over the time says how many cores it used.
pg_cpu() { awk '{ printf "%d", $14 + $15 + $16 + $17 }' "/proc/$(head -1 "$work/pgdata/postmaster.pid")/stat"; }
verify_times=()
for run in 1 2 3; do
  echo "tandem verify (run $run of 3) ..."
  pg0=$(pg_cpu)
  t0=$(date +%s%N)
  TIMEFORMAT='%U %S'
  { time "$root/bin/tandem" verify --config "$work/tandem.yaml" > "$work/verify-$run.log" 2>&1 \
    || { echo "tandem verify did not find the stores the same:"; tail -20 "$work/verify-$run.log"; exit 1; }; } 2> "$work/verify-$run.cpu"
  t1=$(date +%s%N)
  pg1=$(pg_cpu)
  verify_times+=("$(seconds "$t0" "$t1")")
  echo "  $(grep -o '[0-9,]* rows/s' "$work/verify-$run.log" | tail -1) by its own count; CPU: tandem" \
    "$(awk '{ printf "%.1f", $1 + $2 }' "$work/verify-$run.cpu") s, PostgreSQL" \
    "$(awk -v t="$(getconf CLK_TCK)" -v d=$((pg1 - pg0)) 'BEGIN { printf "%.1f", d / t }') s, in ${verify_times[-1]} s"
done
cp "$work/verify-1.log" "$work/verify.log"
verify_s=$(printf '%s\n' "${verify_times[@]}" | sort -n | sed -n 2p)

echo "PostgreSQL to PostgreSQL: pg_dump --data-only | psql, and tandem backfill, from the COPY's database ..."
for db in pgdump tandempg; do psql_pg -d postgres -c "CREATE DATABASE $db"; psql_pg -d $db -c "$schema"; done
t0=$(date +%s%N)
pg_dump -h 127.0.0.1 -p "$pg_port" -U postgres --data-only -t users -t events copy \
  | psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d pgdump > "$work/pgdump.log" 2>&1
t1=$(date +%s%N)
pgdump_s=$(seconds "$t0" "$t1")
cat > "$work/tandempg.yaml" <<YAML
stores:
  old:
    url: jdbc:postgresql://127.0.0.1:$pg_port/copy
    user: postgres
  new:
    url: jdbc:postgresql://127.0.0.1:$pg_port/tandempg
    user: postgres
YAML
t0=$(date +%s%N)
"$root/bin/tandem" backfill --config "$work/tandempg.yaml" > "$work/backfill-pg.log" 2>&1 \
  || { echo "tandem backfill (PostgreSQL) failed:"; tail -20 "$work/backfill-pg.log"; exit 1; }
t1=$(date +%s%N)
tandempg_s=$(seconds "$t0" "$t1")
t0=$(date +%s%N)
"$root/bin/tandem" verify --config "$work/tandempg.yaml" > "$work/verify-pg.log" 2>&1 \
  || { echo "tandem verify (PostgreSQL) did not find the stores the same:"; tail -20 "$work/verify-pg.log"; exit 1; }
t1=$(date +%s%N)
verifypg_s=$(seconds "$t0" "$t1")

rate() { awk -v r="$rows" -v s="$1" 'BEGIN { printf "%d", r / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
echo
printf '%-18s %10s %12s\n' "copy of $rows rows" seconds rows/s
printf '%-18s %10s %12s\n' "COPY FROM (csv)" "$copy_s" "$(rate "$copy_s")"
printf '%-18s %10s %12s\n' "pgloader" "$pgloader_s" "$(rate "$pgloader_s")"
printf '%-18s %10s %12s\n' "tandem backfill" "$tandem_s" "$(rate "$tandem_s")"
printf '%-18s %10s %12s  %s\n' "tandem verify" "$verify_s" "$(rate "$verify_s")" "(median of ${verify_times[*]} s)"
echo "PostgreSQL to PostgreSQL:"
printf '%-18s %10s %12s\n' "pg_dump | psql" "$pgdump_s" "$(rate "$pgdump_s")"
printf '%-18s %10s %12s\n' "tandem backfill" "$tandempg_s" "$(rate "$tandempg_s")"
printf '%-18s %10s %12s\n' "tandem verify" "$verifypg_s" "$(rate "$verifypg_s")"
echo "verify's own count (without starting the JVM): SQLite $(cat "$work"/verify-[123].log | grep -o '[0-9,]* rows/s' | paste -sd' ' | sed 's/ rows\/s / \/ /g')," \
  "PostgreSQL $(grep -o '[0-9,]* rows/s' "$work/verify-pg.log" | tail -1); $(grep -o 'compared by [a-z]*' "$work/verify.log" | sort | uniq -c | tr -s ' ' | paste -sd, -)"
echo "backfill / pgloader: $(ratio "$tandem_s" "$pgloader_s")x; backfill / COPY: $(ratio "$tandem_s" "$copy_s")"
echo "(tandem's times include starting its JVM, about a second; verify compares fingerprints of key ranges, see the README)"
