#!/usr/bin/env bash
# newsdesk's API checked with the tools integrators use, installed at pinned versions from the
# package registries into a directory outside the repository:
#   1. the committed openapi/openapi.json is what the binary generates;
#   2. Spectral (`spectral:oas` ruleset): 0 errors and 0 warnings;
#   3. openapi-spec-validator;
#   4. openapi-typescript generates a client's types, and `tsc --strict` compiles a small
#      client that uses them (scripts/api-client.ts);
#   5. schemathesis (`st run --checks all`) against a live release server with the demo
#      newsroom, on SQLite, and on PostgreSQL when NEWSDESK_TEST_POSTGRES_URL is set
#      (required under CI=true). See scripts/schemathesis.py.
#   6. the feeds and sitemaps read by feedparser, xmlschema (the sitemaps.org schemas in
#      ../shared/fixtures/xsd) and ultimate-sitemap-parser, on the same backends. See
#      scripts/check-syndication.py.
#
# Variables: NEWSDESK_TOOLS_DIR (default $TMPDIR/newsdesk-api-tools), CARGO_TARGET_DIR,
# NEWSDESK_TEST_POSTGRES_URL, NEWSDESK_ST_EXAMPLES (examples per operation, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."

SPECTRAL_VERSION=6.16.3
OPENAPI_TYPESCRIPT_VERSION=7.13.0
TYPESCRIPT_VERSION=5.9.3
SCHEMATHESIS_VERSION=4.32.5
SPEC_VALIDATOR_VERSION=0.9.0
FEEDPARSER_VERSION=6.0.14
XMLSCHEMA_VERSION=4.3.2
USP_VERSION=1.8.1

tools="${NEWSDESK_TOOLS_DIR:-${TMPDIR:-/tmp}/newsdesk-api-tools}"
target="${CARGO_TARGET_DIR:-target}"
started=$(date +%s)

step() { printf '\n--- %s\n' "$*"; }

install_tools() {
    local stamp="$tools/versions"
    local want="spectral=$SPECTRAL_VERSION oats=$OPENAPI_TYPESCRIPT_VERSION ts=$TYPESCRIPT_VERSION st=$SCHEMATHESIS_VERSION osv=$SPEC_VALIDATOR_VERSION fp=$FEEDPARSER_VERSION xs=$XMLSCHEMA_VERSION usp=$USP_VERSION"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    step "installing the checkers into $tools"
    rm -rf "$tools"
    mkdir -p "$tools/npm"
    python3 -m venv "$tools/py"
    "$tools/py/bin/pip" install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION" "openapi-spec-validator==$SPEC_VALIDATOR_VERSION" \
        "feedparser==$FEEDPARSER_VERSION" "xmlschema==$XMLSCHEMA_VERSION" \
        "ultimate-sitemap-parser==$USP_VERSION"
    npm install --silent --no-audit --no-fund --prefix "$tools/npm" \
        "@stoplight/spectral-cli@$SPECTRAL_VERSION" \
        "openapi-typescript@$OPENAPI_TYPESCRIPT_VERSION" \
        "typescript@$TYPESCRIPT_VERSION"
    echo "$want" > "$stamp"
}

install_tools
bin="$tools/npm/node_modules/.bin"

step "cargo build --release"
cargo build --release --quiet
newsdesk="$target/release/newsdesk"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "the committed document is the generated one"
"$newsdesk" openapi > "$work/openapi.json"
if ! cmp -s <(python3 -m json.tool "$work/openapi.json") <(python3 -m json.tool openapi/openapi.json); then
    echo "openapi/openapi.json is stale: cargo run -- openapi > openapi/openapi.json" >&2
    exit 1
fi

step "Spectral (spectral:oas): no errors, no warnings"
"$bin/spectral" lint --ruleset scripts/spectral.yaml --fail-severity warn openapi/openapi.json

step "openapi-spec-validator"
"$tools/py/bin/openapi-spec-validator" openapi/openapi.json

step "openapi-typescript + tsc --strict"
"$bin/openapi-typescript" openapi/openapi.json --output "$work/api.ts" >/dev/null
cp scripts/api-client.ts "$work/client.ts"
"$bin/tsc" --strict --noEmit --target es2022 --lib es2022,dom --module es2022 \
    --moduleResolution bundler \
    "$work/client.ts"
echo "the generated types compile with a client that uses them"

step "schemathesis against a release server: SQLite"
"$tools/py/bin/python" scripts/schemathesis.py --binary "$newsdesk" --st "$tools/py/bin/st" \
    --backend sqlite --work "$work"

if [ -n "${NEWSDESK_TEST_POSTGRES_URL:-}" ]; then
    step "schemathesis against a release server: PostgreSQL"
    "$tools/py/bin/python" scripts/schemathesis.py --binary "$newsdesk" \
        --st "$tools/py/bin/st" --backend postgres --postgres-url "$NEWSDESK_TEST_POSTGRES_URL" \
        --work "$work"
elif [ "${CI:-}" = "true" ]; then
    echo "CI=true but NEWSDESK_TEST_POSTGRES_URL is not set" >&2
    exit 1
else
    echo "notice: NEWSDESK_TEST_POSTGRES_URL is not set; skipping schemathesis on PostgreSQL"
fi

step "feeds and sitemaps: feedparser, xmlschema, ultimate-sitemap-parser (SQLite)"
"$tools/py/bin/python" scripts/check-syndication.py --binary "$newsdesk" --backend sqlite \
    --work "$work"
if [ -n "${NEWSDESK_TEST_POSTGRES_URL:-}" ]; then
    step "feeds and sitemaps: feedparser, xmlschema, ultimate-sitemap-parser (PostgreSQL)"
    "$tools/py/bin/python" scripts/check-syndication.py --binary "$newsdesk" --backend postgres \
        --postgres-url "$NEWSDESK_TEST_POSTGRES_URL" --work "$work"
fi

step "API checks passed in $(($(date +%s) - started)) s"
