#!/usr/bin/env bash
# An S3-compatible server for the media store test: moto's server mode, installed at a pinned
# version from PyPI into a directory outside the repository, listening on 127.0.0.1:PORT until
# it is killed. It accepts any credentials and keeps buckets in memory.
#
#   bash scripts/s3-server.sh 5599 &
#   NEWSDESK_TEST_S3_URL=http://127.0.0.1:5599 cargo test media
#
# Variables: NEWSDESK_TOOLS_DIR (default $TMPDIR/newsdesk-api-tools).
set -euo pipefail
port="${1:?usage: s3-server.sh PORT}"
MOTO_VERSION=5.1.0
venv="${NEWSDESK_TOOLS_DIR:-${TMPDIR:-/tmp}/newsdesk-api-tools}/moto-$MOTO_VERSION"
if [ ! -x "$venv/bin/moto_server" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi
exec "$venv/bin/moto_server" -H 127.0.0.1 -p "$port"
