"""A live newsdesk release server with the demo newsroom, for the checks that talk to one over
HTTP (scripts/schemathesis.py, scripts/check-syndication.py).

For one backend it loads the demo newsroom into a fresh database (a temporary SQLite file, or
a fresh schema in the given PostgreSQL database, dropped afterwards), creates the given
accounts, starts the server on a free loopback port and waits until it is ready, its search
index built. Standard library only.
"""

import json
import os
import socket
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zlib
from contextlib import contextmanager
from pathlib import Path

PASSWORD = "a long passphrase for the checks"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None, token=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                text = res.read()
                return res.status, json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def get(self, path, token=None):
        status, body = self.call("GET", path, token=token)
        if status != 200:
            raise SystemExit(f"GET {path}: {status} {body}")
        return body

    def raw(self, path):
        """The status, content type and bytes of a GET."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as res:
                return res.status, res.headers.get("Content-Type", ""), res.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read()

    def upload(self, filename, data, token):
        """Uploads an image to the media library; the new media."""
        boundary = "newsdesk-check-boundary"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\n\r\n'
        ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(self.base + "/api/v1/media", data=body, method="POST")
        req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        req.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(req, timeout=60) as res:
            return json.loads(res.read())

    def sign_in(self, email):
        status, body = self.call("POST", "/api/v1/auth/token", {"email": email, "password": PASSWORD})
        if status != 200:
            raise SystemExit(f"sign-in of {email}: {status} {body}")
        return body


def png(width, height):
    """A small RGB PNG (a gradient), made with the standard library."""
    rows = b"".join(
        b"\x00" + b"".join(bytes([x * 255 // width, y * 255 // height, 128]) for x in range(width))
        for y in range(height)
    )

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@contextmanager
def live_server(binary, backend, work, postgres_url=None, accounts=(), env_extra=None, base_url=False):
    """Yields an `Api` for a ready server. `accounts`: `(email, role)` pairs created with
    PASSWORD. `base_url`: make the server's public base URL its own address, so that the links
    it writes (feeds, sitemaps) lead back to it."""
    binary = str(Path(binary).resolve())
    work = Path(work)
    env = dict(os.environ, RUST_LOG="warn")
    # The server's own search index, in the scratch directory.
    env["NEWSDESK_SEARCH_DIR"] = tempfile.mkdtemp(dir=work)
    env["NEWSDESK_MEDIA_DIR"] = tempfile.mkdtemp(dir=work)
    schema = None
    if backend == "postgres":
        schema = f"api_check_{os.getpid()}_{int(time.time() * 1000)}"
        subprocess.run(["psql", "-q", postgres_url, "-c", f"CREATE SCHEMA {schema}"], check=True)
        sep = "&" if "?" in postgres_url else "?"
        env["DATABASE_URL"] = f"{postgres_url}{sep}options=-csearch_path%3D{schema}"
    else:
        env["DATABASE_URL"] = str(Path(tempfile.mkdtemp(dir=work)) / "newsdesk.db")
    server = None
    try:
        subprocess.run([binary, "seed", "--demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        for email, role in accounts:
            subprocess.run(
                [binary, "user", "create", "--email", email, "--name", email.split("@")[0], "--role", role],
                env=env,
                input=PASSWORD + "\n",
                text=True,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        port = free_port()
        server_env = dict(env, NEWSDESK_ADDR=f"127.0.0.1:{port}", NEWSDESK_WORKERS="2", **(env_extra or {}))
        if base_url:
            server_env["NEWSDESK_BASE_URL"] = f"http://127.0.0.1:{port}"
        log = open(work / f"server-{backend}-{port}.log", "w")
        server = subprocess.Popen([binary, "serve"], env=server_env, stdout=log, stderr=log)
        api = Api(f"http://127.0.0.1:{port}")
        deadline = time.time() + 60
        while True:
            try:
                # Ready, with its search index built from the demo newsroom.
                status, health = api.call("GET", "/readyz")
                if status == 200 and health["search"]["ready"]:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit("the server did not become ready")
            time.sleep(0.1)
        yield api
    finally:
        if server:
            server.terminate()
            try:
                server.wait(timeout=90)
            except subprocess.TimeoutExpired:
                server.kill()
        if schema:
            subprocess.run(
                ["psql", "-q", postgres_url, "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE"],
                check=False,
                env=dict(os.environ, PGOPTIONS="--client-min-messages=warning"),
            )
