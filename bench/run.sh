#!/usr/bin/env bash
# Read-path benchmark of newsdesk (release build) with wrk on loopback.
#
#   bench/run.sh                    # SQLite, 100k synthetic articles
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench bench/run.sh
#
# Seeds N articles (BENCH_ARTICLES, default 100000) into a scratch database, builds their search
# index (newsdesk reindex, timed, as after any bulk load), starts the server
# twice (in-process cache on, then off) and measures, at 64 connections / 2 threads for
# BENCH_SECONDS (default 10) each: GET /healthz (the ceiling), the latest 20 articles, one
# section's feed, page 5,000 of the feed reached by cursor, one article by slug. Prints a
# Markdown table (req/s, p50, p99) and the server's peak RSS. Each run follows 2 s of
# unmeasured warm-up on the same URL. Raw wrk output goes to
# bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
PORT="${BENCH_PORT:-18181}"
CONNECTIONS=64
THREADS=2
. bench/common.sh
seed
reindex

# Page 5,000 of the newest-first feed (limit 20): walk cursors with one keep-alive connection,
# 100 items a page to item 99,900, then 20 a page.
page_5000_url() {
    python3 - "$PORT" <<'PY'
import http.client, json, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
cursor, seen = None, 0
target = 4999 * 20
while seen < target:
    limit = 100 if target - seen >= 100 else 20
    path = f"/api/v1/articles?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
    conn.request("GET", path)
    body = json.loads(conn.getresponse().read())
    seen += len(body["data"])
    cursor = body["meta"]["next_cursor"]
    if cursor is None:
        break
print(f"/api/v1/articles?limit=20&cursor={cursor}")
PY
}

run_wrk() { # name url
    local out="$RESULTS/$backend-$MODE-$(echo "$1" | tr -c 'a-z0-9\n' '-').txt"
    # 2 s of warm-up (not measured): fills caches, lets the first wave of misses settle.
    wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$BASE$2" >/dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$BASE$2" >"$out"
    local rps p50 p99 non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' "$out")
    p50=$(awk '$1 == "50%" {print $2}' "$out")
    p99=$(awk '$1 == "99%" {print $2}' "$out")
    non2xx=$(awk '/Non-2xx/ {print $4}' "$out")
    printf '| %s | %s | %.0f | %s | %s |%s\n' "$MODE" "$1" "$rps" "$p50" "$p99" "${non2xx:+ non-2xx: $non2xx}"
}

measure() {
    local slug page5000
    slug=$(curl -sf "$BASE/api/v1/articles?limit=1&order=oldest" | python3 -c 'import json,sys; a=json.load(sys.stdin)["data"][0]; print(a["slug"] + "?lang=" + a["lang"])')
    page5000=$(page_5000_url)
    curl -sf "$BASE$page5000" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; assert len(d) == 20, len(d)'
    run_wrk "GET /healthz" "/healthz"
    run_wrk "latest 20" "/api/v1/articles?limit=20"
    run_wrk "section feed" "/api/v1/sections/world/articles?limit=20"
    run_wrk "page 5,000 by cursor" "$page5000"
    run_wrk "article by slug" "/api/v1/articles/$slug"
}

echo
echo "| cache | request | req/s | p50 | p99 |"
echo "|---|---|---:|---:|---:|"
MODE=cache-on
start_server
measure
rss_on=$(stop_server)
MODE=cache-off
start_server NEWSDESK_CACHE_MB=0
measure
rss_off=$(stop_server)
echo
echo "peak RSS: cache on $((rss_on / 1024)) MB, cache off $((rss_off / 1024)) MB"
echo "($backend, $ARTICLES articles, wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s, $(nproc) cores shared by server and wrk)"
