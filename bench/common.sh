# Shared by the benchmark scripts: sourced after PORT is set. Builds the release binary,
# makes a scratch directory (removed on exit), picks the database from BENCH_DATABASE_URL
# (default: a scratch SQLite file), seeds BENCH_ARTICLES (default 100000) synthetic articles
# and defines start_server / stop_server.
ARTICLES="${BENCH_ARTICLES:-100000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${TMPDIR:-/tmp}/newsdesk-target}"
BIN="$CARGO_TARGET_DIR/release/newsdesk"
RESULTS=bench/results
mkdir -p "$RESULTS"
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install -y wrk)" >&2; exit 1; }

cargo build --release --quiet
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-bench.XXXXXX")
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$SCRATCH"
}
trap cleanup EXIT

export DATABASE_URL="${BENCH_DATABASE_URL:-sqlite://$SCRATCH/bench.db}"
export NEWSDESK_SEARCH_DIR="$SCRATCH/search"
export NEWSDESK_MEDIA_DIR="$SCRATCH/media"
backend=sqlite
case "$DATABASE_URL" in postgres*) backend=postgres ;; esac
BASE="http://127.0.0.1:$PORT"

seed() {
    echo "# seeding $ARTICLES articles ($backend)"
    local seed_start seed_end
    seed_start=$(date +%s.%N)
    "$BIN" seed --generate "$ARTICLES" --force
    seed_end=$(date +%s.%N)
    printf 'seed: %.1f s\n' "$(echo "$seed_end - $seed_start" | bc)"
    # PostgreSQL would otherwise write the bulk load's dirty pages out during the runs (a timed
    # checkpoint spreads them over minutes), stalling requests now and then.
    if [ "$backend" = postgres ]; then
        psql "$DATABASE_URL" -qc CHECKPOINT
    fi
}

# reindex: builds the search index of the seeded articles before a server starts (as after any
# bulk load), and prints its time and peak RSS.
reindex() {
    /usr/bin/time -f 'rebuild: %e s, peak RSS %M KiB' -o "$SCRATCH/reindex.time" "$BIN" reindex
    REBUILD_LINE=$(cat "$SCRATCH/reindex.time")
    echo "$REBUILD_LINE"
}

# start_server [VAR=value ...]: serve in the background, wait until ready, search included
# (a server that finds no search index builds one first).
start_server() {
    env NEWSDESK_ADDR="127.0.0.1:$PORT" RUST_LOG=warn "$@" "$BIN" serve >"$SCRATCH/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 6000); do
        curl -sf "$BASE/readyz" 2>/dev/null | grep -q '"ready":true' && return 0
        sleep 0.1
    done
    echo "server did not become ready" >&2
    cat "$SCRATCH/server.log" >&2
    exit 1
}

# stop_server: stop it and print its peak RSS in KiB.
stop_server() {
    local rss
    rss=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
    kill "$SERVER_PID"
    # Called as $(stop_server), a subshell that cannot `wait` for the server: poll until the
    # process is gone (it writes pending views before it exits).
    while kill -0 "$SERVER_PID" 2>/dev/null; do sleep 0.05; done
    SERVER_PID=""
    echo "$rss"
}

# measure NAME CONNECTIONS PATHS_FILE|URL: one wrk run (16 connections: 2 threads) after 2 s of
# warm-up, printed as a table row; wrk's output is kept in bench/results/$BENCH_NAME-*.txt. A
# file of paths is sent in turn through $SCRATCH/rotate.lua.
measure() {
    local name=$1 conns=$2 what=$3 threads=2 out
    [ "$conns" -lt 2 ] && threads=1
    out="$RESULTS/$BENCH_NAME-$backend-$(echo "$name" | tr ' /' '--').txt"
    if [ -f "$what" ]; then
        PATHS_FILE="$what" wrk -t$threads -c"$conns" -d2s -s "$SCRATCH/rotate.lua" "$BASE" >/dev/null
        PATHS_FILE="$what" wrk -t$threads -c"$conns" -d"${SECONDS_PER_RUN}s" --latency -s "$SCRATCH/rotate.lua" "$BASE" >"$out"
    else
        wrk -t$threads -c"$conns" -d2s "$BASE$what" >/dev/null
        wrk -t$threads -c"$conns" -d"${SECONDS_PER_RUN}s" --latency "$BASE$what" >"$out"
    fi
    rps=$(awk '/Requests\/sec/ {print $2}' "$out")
    p50=$(awk '$1 == "50%" {print $2}' "$out")
    p99=$(awk '$1 == "99%" {print $2}' "$out")
    non2xx=$(awk '/Non-2xx/ {print $4}' "$out")
    printf '| %s | %s | %.0f | %s | %s |%s\n' "$name" "$conns" "$rps" "$p50" "$p99" "${non2xx:+ non-2xx: $non2xx}"
}
