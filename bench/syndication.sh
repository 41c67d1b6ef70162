#!/usr/bin/env bash
# Feed and sitemap benchmark of newsdesk (release build) with wrk and curl on loopback.
#
#   bench/syndication.sh                    # SQLite, 100k synthetic articles
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench bench/syndication.sh
#
# Seeds BENCH_ARTICLES (default 100000) synthetic articles and moves the publish times of
# 50,000 published ones into June 2026 (45 s apart, from the lowest id), so that one monthly
# sitemap has 50,000 URLs (the most a sitemap may hold). Then, at 16 connections for
# BENCH_SECONDS (default 15) each: GET /healthz (the ceiling of the same run) and the newest 50
# as RSS with the in-process cache on (as deployed), then with it off (every request reads the
# database and writes the XML), and JSON Feed with it off; and the June sitemap fetched 5
# times with the cache off, with its time, size and the server's memory
# while it is written (resident anonymous memory sampled every 10 ms: the database file and the
# search index are memory-mapped and their pages, the operating system's cache, are left out).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN="${BENCH_SECONDS:-15}"
PORT="${BENCH_PORT:-18183}"
BENCH_NAME=syndication
. bench/common.sh
seed

echo "# 50,000 articles moved into June 2026"
if [ "$backend" = postgres ]; then
    psql -q "$DATABASE_URL" -c "UPDATE articles SET published_at = TIMESTAMP '2026-06-01' + (id - (SELECT MIN(id) FROM articles)) * INTERVAL '45 seconds' WHERE id IN (SELECT id FROM articles WHERE status = 'published' ORDER BY id LIMIT 50000)" -c "VACUUM (ANALYZE) articles"
else
    python3 - "$SCRATCH/bench.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("""UPDATE articles SET published_at = strftime('%Y-%m-%d %H:%M:%f', '2026-06-01', '+' || ((id - (SELECT MIN(id) FROM articles)) * 45) || ' seconds')
              WHERE id IN (SELECT id FROM articles WHERE status = 'published' ORDER BY id LIMIT 50000)""")
db.commit()
PY
fi

anon_kib() { awk '/RssAnon/ {print $2}' "/proc/$SERVER_PID/status"; }

echo
echo "| request | connections | req/s | p50 | p99 |"
echo "|---|---:|---:|---:|---:|"
start_server
measure "GET /healthz (ceiling)" 16 /healthz
measure "RSS, newest 50, cache on" 16 /feeds/rss.xml
rss_on=$(stop_server)
start_server NEWSDESK_CACHE_MB=0
measure "RSS, newest 50, cache off" 16 /feeds/rss.xml
measure "JSON Feed, newest 50, cache off" 16 /feeds/feed.json
rss_off=$(stop_server)

start_server NEWSDESK_CACHE_MB=0
base_anon=$(anon_kib)
: >"$SCRATCH/anon"
(while kill -0 "$SERVER_PID" 2>/dev/null; do anon_kib >>"$SCRATCH/anon" 2>/dev/null || true; sleep 0.01; done) &
sampler=$!
times=()
for _ in 1 2 3 4 5; do
    t=$(curl -s -o "$SCRATCH/june.xml" -w '%{time_total}' "$BASE/sitemaps/articles-2026-06.xml")
    times+=("$t")
done
kill "$sampler" 2>/dev/null || true
urls=$(grep -o '<url>' "$SCRATCH/june.xml" | wc -l)
bytes=$(wc -c <"$SCRATCH/june.xml")
peak_anon=$(sort -n "$SCRATCH/anon" | tail -1)
sitemap_peak=$(stop_server)
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
echo
echo "monthly sitemap: $urls URLs, $((bytes / 1024)) KiB; times (s, sorted, 5 fetches, cache off): $sorted"
echo "server memory while writing it: resident anonymous $((base_anon / 1024)) MiB before, peak $((peak_anon / 1024)) MiB; VmHWM $((sitemap_peak / 1024)) MiB (mapped files included)"
echo "server peak RSS (VmHWM, mapped files included): cache on $((rss_on / 1024)) MiB, cache off $((rss_off / 1024)) MiB"
echo "($backend, $ARTICLES articles, wrk -d${SECONDS_PER_RUN}s, $(nproc) cores shared by server and wrk)"
