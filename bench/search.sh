#!/usr/bin/env bash
# Search benchmark of newsdesk (release build) with wrk on loopback.
#
#   bench/search.sh                    # SQLite, 100k synthetic articles
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench bench/search.sh
#
# Seeds BENCH_ARTICLES (default 100000) synthetic articles (~600 words each), rebuilds the search
# index with `newsdesk reindex` (timed), starts the server with the in-process cache OFF (every
# request runs the search), and measures at 16 connections / 2 threads for BENCH_SECONDS
# (default 15) each: GET /healthz (the ceiling of the same run), 1-word, 3-word, phrase and
# filtered searches and title suggestions, then a typical word with one client. Queries rotate
# through a few hundred different ones taken from real titles of the corpus: "typical" words
# are those found in 0.1%-10% of the articles. A very common word is measured separately as the
# worst case. The engine alone (`newsdesk search --queries`: top 20, total and facets from the
# index and the hits' stored body text, no HTTP, no database) is timed on the same queries with
# the server stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN="${BENCH_SECONDS:-15}"
PORT="${BENCH_PORT:-18182}"
. bench/common.sh
seed
reindex
index_mb=$(du -sm "$NEWSDESK_SEARCH_DIR" | cut -f1)
start_server NEWSDESK_CACHE_MB=0

# Query lists, one path per line.
python3 - "$PORT" "$SCRATCH" "$ARTICLES" <<'PY'
import http.client, json, random, sys, urllib.parse
port, out, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port)
def get(path):
    conn.request("GET", path)
    return json.loads(conn.getresponse().read())
random.seed(7)
titles, cursor = [], None
while len(titles) < 1500:
    page = get("/api/v1/articles?limit=100" + (f"&cursor={cursor}" if cursor else ""))
    titles += [(a["title"], a["lang"]) for a in page["data"]]
    cursor = page["meta"]["next_cursor"]
    if not cursor:
        break
def words(t):
    return [w.strip(".,").lower() for w in t.split() if len(w.strip(".,")) >= 6 and not w.strip(".,").isdigit()]
df = {}
def total(q):
    if q not in df:
        df[q] = get("/api/v1/search?limit=1&q=" + urllib.parse.quote(q))["meta"]["total"]
    return df[q]
typical, triples, phrases = [], [], []
for title, lang in titles:
    ws = words(title)
    good = [w for w in ws if n * 0.001 <= total(w) <= n * 0.10]
    typical += good
    if len(good) >= 3:
        triples.append(" ".join(random.sample(good, 3)))
    raw = [w.strip(".,").lower() for w in title.split()]
    for a, b in zip(raw, raw[1:]):
        if len(a) >= 4 and len(b) >= 4 and not b.isdigit() and n * 0.001 <= total(a) <= n * 0.10:
            phrases.append(f'"{a} {b}"')
            break
    if len(typical) > 400 and len(triples) > 200 and len(phrases) > 200:
        break
typical = sorted(set(typical))
q = urllib.parse.quote
lists = {
    "1-word": [f"/api/v1/search?q={q(w)}" for w in typical],
    "3-word": [f"/api/v1/search?q={q(t)}" for t in triples],
    "phrase": [f"/api/v1/search?q={q(p)}" for p in phrases],
    "filtered": [f"/api/v1/search?q={q(w)}&section=world&from=2026-06-01" for w in typical],
    "suggest": [f"/api/v1/search/suggest?q={q(w[:3])}" for w in typical],
    "common word": ["/api/v1/search?q=government", "/api/v1/search?q=%D0%B3%D0%BE%D1%80%D0%BE%D0%B4"],
}
for name, paths in lists.items():
    with open(f"{out}/{name.replace(' ', '-')}.txt", "w") as f:
        f.write("\n".join(paths) + "\n")
# The same queries as plain text, for the engine alone.
for name, qs in {"1-word": typical, "3-word": triples, "phrase": phrases,
                 "common-word": ["government", "город"]}.items():
    with open(f"{out}/{name}.q", "w") as f:
        f.write("\n".join(qs) + "\n")
stats = {w: df[w] for w in typical}
print(f"# {len(typical)} typical words (found in {min(stats.values())}-{max(stats.values())} articles, median {sorted(stats.values())[len(stats)//2]}), "
      f"{len(triples)} 3-word queries, {len(phrases)} phrases; 'government' is in {total('government')} articles")
PY

cat >"$SCRATCH/rotate.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA

# The engine alone, with the server stopped (the index takes one process at a time).
stop_server >/dev/null
engine() {
    "$BIN" search --queries "$SCRATCH/$1.q" --rounds "${2:-5}" 2>/dev/null | tail -1
}
engine_1word=$(engine 1-word)
engine_3word=$(engine 3-word)
engine_phrase=$(engine phrase)
engine_common=$(engine common-word 20)
start_server NEWSDESK_CACHE_MB=0

BENCH_NAME=search

echo
echo "| request | connections | req/s | p50 | p99 |"
echo "|---|---:|---:|---:|---:|"
measure "GET /healthz (ceiling)" 16 /healthz
measure "1 word" 16 "$SCRATCH/1-word.txt"
measure "3 words" 16 "$SCRATCH/3-word.txt"
measure "phrase" 16 "$SCRATCH/phrase.txt"
measure "1 word + section + date filters" 16 "$SCRATCH/filtered.txt"
measure "suggest (3 letters)" 16 "$SCRATCH/suggest.txt"
measure "a word in 65% of articles" 16 "$SCRATCH/common-word.txt"
measure "1 word, one client" 1 "$SCRATCH/1-word.txt"
measure "a word in 65% of articles, one client" 1 "$SCRATCH/common-word.txt"
rss_anon=$(awk '/RssAnon/ {print int($2 / 1024)}' "/proc/$SERVER_PID/status")
rss_file=$(awk '/RssFile/ {print int($2 / 1024)}' "/proc/$SERVER_PID/status")
rss=$(stop_server)
echo
echo "engine alone (top 20 + total + facets + stored bodies, no HTTP), 1 word: $engine_1word"
echo "engine alone, 3 words: $engine_3word"
echo "engine alone, phrase: $engine_phrase"
echo "engine alone, a word in 65% of articles: $engine_common"
echo "newsdesk reindex: $REBUILD_LINE; index on disk: ${index_mb} MB; server peak RSS: $((rss / 1024)) MiB (at the end: ${rss_anon} MiB anonymous, ${rss_file} MiB of mapped files, the index's pages among them)"
echo "($backend, $ARTICLES articles, wrk -d${SECONDS_PER_RUN}s, cache off, $(nproc) cores shared by server and wrk)"
