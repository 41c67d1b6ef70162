#!/usr/bin/env bash
# View-counting benchmark of newsdesk (release build) with wrk on loopback.
#
#   bench/views.sh                    # SQLite
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench bench/views.sh
#
# Seeds BENCH_ARTICLES (default 1000) synthetic articles and measures, at 64 connections /
# 2 threads for BENCH_SECONDS (default 10) each, GET /healthz (the ceiling) and then
# POST /api/v1/articles/{id}/views with a new X-Visitor-Id on every request, spread over 100
# articles. Both runs use the same Lua response hook. Afterwards the server is stopped with
# SIGTERM (which flushes), started again, and the stored totals are compared with the number
# of `"counted":true` answers: the difference must be zero.
set -euo pipefail
cd "$(dirname "$0")/.."

export BENCH_ARTICLES="${BENCH_ARTICLES:-1000}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
PORT="${BENCH_PORT:-18183}"
. bench/common.sh
seed
start_server

ids=$(curl -sf "$BASE/api/v1/articles?limit=100" | python3 -c 'import json,sys; print(",".join(str(a["id"]) for a in json.load(sys.stdin)["data"]))')
total() {
    curl -sf "$BASE/api/v1/views?ids=$1" | python3 -c 'import json,sys; print(sum(v["views"] for v in json.load(sys.stdin)["data"]))'
}
before=$(total "$ids")

cat >"$SCRATCH/views.lua" <<LUA
local ids = {}
for id in string.gmatch("$ids", "%d+") do ids[#ids + 1] = id end
local threads = {}
local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("no", thread_no)
  table.insert(threads, thread)
end
function init(args)
  n = 0
  counted = 0
  other = 0
  mode = os.getenv("MODE")
  run = os.getenv("RUN")
end
function request()
  n = n + 1
  if mode == "health" then
    return wrk.format("GET", "/healthz")
  end
  local headers = {
    ["X-Visitor-Id"] = string.format("bench-%s-%d-%d", run, no, n),
    ["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
  }
  return wrk.format("POST", "/api/v1/articles/" .. ids[n % #ids + 1] .. "/views", headers)
end
function response(status, headers, body)
  if (mode == "health" and status == 200) or (status == 202 and string.find(body, '"counted":true', 1, true)) then
    counted = counted + 1
  else
    other = other + 1
  end
end
function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("counted")
    o = o + t:get("other")
  end
  io.write(string.format("ok %d other %d\n", c, o))
end
LUA

# run NAME MODE: 2 s of warm-up, then the measured run; prints the table row and sets
# rps_MODE. Each run tags its visitor ids, so the warm-up's visitors are not repeats.
run() {
    local name=$1 mode=$2 out="$RESULTS/views-$backend-$2.txt"
    RUN=warm MODE=$mode wrk -t2 -c64 -d2s -s "$SCRATCH/views.lua" "$BASE" >"$SCRATCH/warm-$mode.txt"
    RUN=main MODE=$mode wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --latency -s "$SCRATCH/views.lua" "$BASE" >"$out"
    rps=$(awk '/Requests\/sec/ {print $2}' "$out")
    p50=$(awk '$1 == "50%" {print $2}' "$out")
    p99=$(awk '$1 == "99%" {print $2}' "$out")
    printf '| %s | %.0f | %s | %s |\n' "$name" "$rps" "$p50" "$p99"
    eval "rps_$mode=$rps"
}

echo
echo "| request | req/s | p50 | p99 |"
echo "|---|---:|---:|---:|"
run "GET /healthz" health
before_views=$before
run "POST /articles/{id}/views" views
# The warm-up run's views count too: take the answers of both runs.
answers() { awk -v f="$1" '/^ok / {print $f}' "$SCRATCH/warm-views.txt" "$RESULTS/views-$backend-views.txt" | paste -sd+ | bc; }
counted=$(answers 2)
other=$(answers 4)
server_counted=$(curl -sf "$BASE/metrics" | awk '/^newsdesk_views_total\{outcome="counted"\}/ {print $2}')
live=$(total "$ids")
rss=$(stop_server)
start_server
after=$(total "$ids")
stop_server >/dev/null
echo
printf 'views: %.0f%% of the /healthz rate\n' "$(echo "100 * $rps_views / $rps_health" | bc -l)"
echo "counted by the server: $server_counted (shown before the stop: +$((live - before_views))); stored after SIGTERM and restart: +$((after - before_views)); lost: $((server_counted - (after - before_views)))"
echo "answered counted:true as seen by wrk: $counted, $other other answers (wrk drops the answers still in flight when it stops)"
echo "peak RSS $((rss / 1024)) MiB ($backend, wrk -t2 -c64 -d${SECONDS_PER_RUN}s, $(nproc) cores shared by server and wrk)"
