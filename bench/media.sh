#!/usr/bin/env bash
# Media benchmark of newsdesk (release build) on loopback.
#
#   bench/media.sh                    # SQLite
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench bench/media.sh
#
# 1. One upload of a 6000 × 4000 JPEG (examples/sample_photo.rs; a camera-like 24-megapixel
#    picture), BENCH_UPLOADS (default 3) times: the time curl waits for the 201 (decode, EXIF
#    orientation, re-encode, 9 renditions, storing) and the server's peak RSS before and after.
# 2. The feed benchmark (GET /api/v1/articles, 16 connections, BENCH_SECONDS (default 10) s,
#    response cache off so every request reads the database) alone, then again while one
#    client uploads the same photo in a loop, in BENCH_ROUNDS (default 3) alternating rounds:
#    the feed's rate both ways (and the medians) and the uploads per second. And the /healthz
#    ceiling of the same run.
set -euo pipefail
cd "$(dirname "$0")/.."

export BENCH_ARTICLES="${BENCH_ARTICLES:-1000}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
UPLOADS="${BENCH_UPLOADS:-3}"
ROUNDS="${BENCH_ROUNDS:-3}"
PORT="${BENCH_PORT:-18185}"
BENCH_NAME=media
. bench/common.sh
cargo build --release --quiet --example sample_photo
"$CARGO_TARGET_DIR/release/examples/sample_photo" 6000 4000 "$SCRATCH/photo.jpg"
photo_mb=$(du -m "$SCRATCH/photo.jpg" | cut -f1)
seed
reindex
# An account of this run's own (a PostgreSQL benchmark database keeps its users).
email="bench-$(date +%s)@example.com"
echo 'a long passphrase for the benchmark' |
    "$BIN" user create --email "$email" --name Bench --role editor >/dev/null
start_server NEWSDESK_CACHE_MB=0
token=$(curl -sf "$BASE/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"a long passphrase for the benchmark\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
upload() {
    curl -sf -o /dev/null -w '%{time_total}' "$BASE/api/v1/media" \
        -H "Authorization: Bearer $token" -F "file=@$SCRATCH/photo.jpg;type=image/jpeg"
}
hwm() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER_PID/status"; }

echo
echo "$(date -u '+%Y-%m-%d %H:%M') UTC, $backend, $(nproc) cores, photo 6000 × 4000 JPEG ($photo_mb MB)"
echo
echo "| upload | seconds | peak RSS before (MiB) | peak RSS after (MiB) |"
echo "|---|---:|---:|---:|"
for i in $(seq 1 "$UPLOADS"); do
    before=$(hwm)
    secs=$(upload)
    printf '| %s | %.2f | %s | %s |\n' "$i" "$secs" "$before" "$(hwm)"
done

echo
echo "| request | connections | req/s | p50 | p99 |"
echo "|---|---:|---:|---:|---:|"
measure /healthz 16 /healthz
uploads_log="$SCRATCH/uploads.log"
: >"$uploads_log"
loop_seconds=0
alone=()
busy=()
for round in $(seq 1 "$ROUNDS"); do
    measure "feed alone ($round)" 16 "/api/v1/articles?limit=20"
    alone+=("$rps")
    (
        while :; do upload >/dev/null && echo ok >>"$uploads_log"; done
    ) &
    loop_pid=$!
    started=$(date +%s.%N)
    measure "feed while uploading ($round)" 16 "/api/v1/articles?limit=20"
    busy+=("$rps")
    kill "$loop_pid" 2>/dev/null || true
    wait "$loop_pid" 2>/dev/null || true
    loop_seconds=$(echo "$loop_seconds + $(date +%s.%N) - $started" | bc)
done
done_uploads=$(wc -l <"$uploads_log")
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
echo
printf 'feed, median of %s rounds: %.0f req/s alone, %.0f req/s while uploading (%+.0f%%)\n' \
    "$ROUNDS" "$(median "${alone[@]}")" "$(median "${busy[@]}")" \
    "$(echo "($(median "${busy[@]}") / $(median "${alone[@]}") - 1) * 100" | bc -l)"
printf 'uploads while the feed ran: %s in %.1f s (%.2f per second, each one 6000 × 4000 JPEG)\n' \
    "$done_uploads" "$loop_seconds" "$(echo "$done_uploads / $loop_seconds" | bc -l)"
printf 'peak RSS of the server: %s MiB\n' "$(( $(stop_server) / 1024 ))"
