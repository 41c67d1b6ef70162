#!/usr/bin/env bash
# Import benchmark of newsdesk (release build): `newsdesk import wordpress` of generated
# WordPress exports (bench/wxr_generate.py) of BENCH_SMALL (default 10000) and BENCH_POSTS
# (default 100000) posts into a fresh database each: wall time, posts per second and peak RSS
# (memory should not grow with the file), then the same file again (nothing to import).
# Then the newsroom of the larger file exported (`newsdesk export`, JSONL and WXR) and the JSONL
# imported into another fresh database (`newsdesk import jsonl`).
#
#   bench/import.sh                    # SQLite
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench bench/import.sh
#
# On PostgreSQL the database's `public` schema is emptied first (use a database of its own).
# Last, the /healthz ceiling of this machine at the time (wrk, 16 connections, 5 s), to read
# the figures against.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${TMPDIR:-/tmp}/newsdesk-target}"
BIN="$CARGO_TARGET_DIR/release/newsdesk"
cargo build --release --quiet
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-import.XXXXXX")
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
export RUST_LOG=warn

fresh_db() {
    if [ -n "${BENCH_DATABASE_URL:-}" ]; then
        psql -q "$BENCH_DATABASE_URL" -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;'
        export DATABASE_URL="$BENCH_DATABASE_URL"
    else
        export DATABASE_URL="sqlite://$SCRATCH/import-$1.db"
    fi
    "$BIN" migrate >/dev/null
}

echo "| posts | file | import | posts/s | peak RSS | again (nothing new) |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "${BENCH_SMALL:-10000}" "${BENCH_POSTS:-100000}"; do
    file="$SCRATCH/export-$n.xml"
    python3 bench/wxr_generate.py "$n" >"$file"
    fresh_db "$n"
    /usr/bin/time -f '%e %M' -o "$SCRATCH/first.time" "$BIN" import wordpress "$file" >"$SCRATCH/first.out"
    /usr/bin/time -f '%e %M' -o "$SCRATCH/again.time" "$BIN" import wordpress "$file" >"$SCRATCH/again.out"
    read -r secs rss <"$SCRATCH/first.time"
    read -r again _ <"$SCRATCH/again.time"
    grep -q "\"imported\": $n," "$SCRATCH/first.out" || { cat "$SCRATCH/first.out"; exit 1; }
    grep -q '"imported": 0' "$SCRATCH/again.out" || { cat "$SCRATCH/again.out"; exit 1; }
    printf '| %d | %d MiB | %.1f s | %.0f | %d MiB | %.1f s |\n' "$n" \
        "$(($(stat -c %s "$file") / 1048576))" "$secs" "$(echo "$n / $secs" | bc -l)" \
        "$((rss / 1024))" "$again"
done

# The last (largest) newsroom out and in again.
echo
echo "| step | posts | file | time | peak RSS |"
echo "|---|---:|---:|---:|---:|"
timed() { # label file command...
    local label=$1 out=$2
    shift 2
    /usr/bin/time -f '%e %M' -o "$SCRATCH/step.time" "$@" >"$SCRATCH/step.out" 2>"$SCRATCH/step.err" ||
        { cat "$SCRATCH/step.out" "$SCRATCH/step.err"; exit 1; }
    read -r secs rss <"$SCRATCH/step.time"
    printf '| %s | %d | %d MiB | %.1f s | %d MiB |\n' "$label" "$n" \
        "$(($(stat -c %s "$out") / 1048576))" "$secs" "$((rss / 1024))"
}
timed "export --format jsonl" "$SCRATCH/out.jsonl" "$BIN" export -o "$SCRATCH/out.jsonl"
timed "export --format wordpress" "$SCRATCH/out.xml" "$BIN" export --format wordpress -o "$SCRATCH/out.xml"
fresh_db "$n-jsonl"
timed "import jsonl (empty newsroom)" "$SCRATCH/out.jsonl" "$BIN" import jsonl "$SCRATCH/out.jsonl"
grep -q "\"imported\": $n," "$SCRATCH/step.out" || { cat "$SCRATCH/step.out"; exit 1; }

PORT="${BENCH_PORT:-18186}"
# An empty database: a server with the imported articles would be building its search index.
DATABASE_URL="sqlite://$SCRATCH/healthz.db" NEWSDESK_ADDR="127.0.0.1:$PORT" NEWSDESK_SEARCH_DIR="$SCRATCH/search" "$BIN" serve >"$SCRATCH/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
healthz=$(wrk -t2 -c16 -d5s "http://127.0.0.1:$PORT/healthz" | awk '/Requests\/sec/ {print $2}')
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
printf '\n/healthz: %.0f req/s (%s)\n' "$healthz" "$(date -u '+%Y-%m-%d %H:%M UTC')"
