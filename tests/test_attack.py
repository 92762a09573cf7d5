"""The server under attack: raw, malformed and hostile requests to a real uvicorn.

Each gets the right 4xx (or, for validators that mean nothing, the normal
answer), with no stack trace, no file content and no internal path in the body.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

from starlette.testclient import TestClient

from asco_cal.server import Settings, create_app
from asco_cal.server.middleware import MAX_HEADERS, MAX_TARGET


def _raw(base: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


def _get(target: bytes, *headers: bytes, method: bytes = b"GET") -> bytes:
    lines = [method + b" " + target + b" HTTP/1.1", b"Host: localhost", *headers]
    return b"\r\n".join([*lines, b"Connection: close", b"", b""])


TRAVERSALS = [
    b"/sessions/../../etc/passwd",
    b"/sessions/..%2F..%2F..%2Fetc%2Fpasswd",
    b"/sessions/%2e%2e/%2e%2e/etc/passwd",
    b"/sessions/%252e%252e%252fetc%252fpasswd.ics",
    b"/sessions/..%5c..%5cetc%5cpasswd.ics",
    b"/sessions/....//....//etc/passwd.ics",
    b"/../../../../etc/passwd",
    b"//etc/passwd",
    b"/%2e%2e/%2e%2e/sessions.yaml",
    b"/sessions.yaml",
    b"/sessions.state.yaml",
    b"/sessions/%00.ics",
    b"/sessions/8017-1.ics%00.txt",
    b"/calendar.ics/../sessions.yaml",
    b"/static/../../sessions.yaml",
]


def test_path_traversal_never_reaches_a_file(server: str, workdir: Path) -> None:
    secret = (workdir / "sessions.yaml").read_bytes()[:40]
    for target in TRAVERSALS:
        code, headers, body = _raw(server, _get(target))
        assert code in (400, 404), (target, code)
        assert b"root:" not in body and secret not in body and b"calendar:" not in body
        assert str(workdir).encode() not in body
        assert headers.get("x-content-type-options") == "nosniff"


def test_oversized_and_malformed_requests(server: str, workdir: Path) -> None:
    cases: list[tuple[bytes, int]] = [
        (_get(b"/" + b"a" * (MAX_TARGET + 10)), 414),
        (_get(b"/calendar.ics?abstract=" + b"8017," * 5000), 414),
        (_get(b"/calendar.ics?" + b"&".join([b"x=1"] * 3000)), 414),
        (_get(b"/", b"X-Big: " + b"a" * (MAX_HEADERS + 10)), 431),
        (_get(b"/", *[b"X-%d: %s" % (i, b"b" * 100) for i in range(400)]), 431),
        (_get(b"/", method=b"FOO"), 405),
        (_get(b"/calendar.ics", b"Content-Length: 0", method=b"POST"), 405),
        (_get(b"/calendar.ics", method=b"DELETE"), 405),
        (_get(b"/calendar.ics", method=b"PUT"), 405),
        (_get(b"/", b"this is not a header"), 400),
        (_get(b"/", b": no name"), 400),
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\n\r\n", 400),  # HTTP/1.1 without Host
        (_get(b"/calendar.ics?%ff%fe=%00"), 400),
        (_get(b"/calendar.ics?abstract=%00%01"), 400),
        (_get(b"/calendar.ics?date=2011-02-30"), 400),
        (_get(b"/calendar.ics?type=" + b"%3Cscript%3E" * 10), 400),
        (_get(b"/my?abstract=%3Cscript%3Ealert(1)%3C/script%3E"), 400),
        (_get(b"/nowhere"), 404),
        (_get(b"/sessions/TPS102.ics"), 404),
    ]
    for request, want in cases:
        code, headers, body = _raw(server, request)
        assert code == want, (request[:80], code, body[:200])
        assert b"Traceback" not in body and b'File "' not in body
        assert str(workdir).encode() not in body and b"site-packages" not in body
        if b"<script" in body:  # echoed in a message: inert as plain text with nosniff
            assert headers["content-type"] == "text/plain; charset=utf-8"
        if want != 400 or b"calendar.ics" in request or b"/my" in request:
            assert headers.get("x-content-type-options") == "nosniff", request[:80]
    code, _, _ = _raw(server, _get(b"/healthz"))
    assert code == 200  # and the server fixture checks its log for tracebacks


def test_conditional_requests_with_garbage_validators(server: str) -> None:
    status, headers, full = _raw(server, _get(b"/calendar.ics"))
    assert status == 200
    etag = headers["etag"].encode()
    garbage = [
        b"If-None-Match: garbage",
        b'If-None-Match: "unterminated',
        b"If-None-Match: W/",
        b"If-None-Match: ,,,,",
        b"If-None-Match: " + b'"x",' * 500,
        b"If-Modified-Since: yesterday",
        b"If-Modified-Since: Thu, 99 Foo 2011 99:99:99 GMT",
        b"If-Modified-Since: " + b"9" * 200,
        b"If-Unmodified-Since: nonsense",
        b"If-Range: nonsense",
        b"Range: bytes=999999-",
        b"Accept-Encoding: gzip;q=nonsense",
    ]
    for header in garbage:
        for method in (b"GET", b"HEAD"):
            code, h, body = _raw(server, _get(b"/calendar.ics", header, method=method))
            assert code == 200, (header, method, code)
            assert body == (full if method == b"GET" else b""), header
            assert h["etag"] == etag.decode()
    assert _raw(server, _get(b"/calendar.ics", b"If-None-Match: " + etag))[0] == 304
    assert _raw(server, _get(b"/calendar.ics", b"If-None-Match: *"))[0] == 304
    future = b"If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT"
    assert _raw(server, _get(b"/calendar.ics", future))[0] == 304
    code, _, body = _raw(server, _get(b"/calendar.ics", b"If-None-Match: " + etag, method=b"HEAD"))
    assert (code, body) == (304, b"")


def test_every_response_has_the_security_headers(workdir: Path) -> None:
    client = TestClient(
        create_app(
            workdir / "sessions.yaml",
            settings=Settings(poll_seconds=0.0),
            allowed_hosts=("testserver",),
        )
    )
    for path in ["/", "/my?abstract=8013", "/calendar.ics", "/sessions/8013.ics", "/healthz",
                 "/nowhere", "/calendar.ics?type=nope", "/" + "x" * 9000]:  # fmt: skip
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path
    page = client.get("/").headers
    assert "frame-ancestors 'none'" in page["content-security-policy"]
    assert "script-src" not in page["content-security-policy"]  # default-src 'none' applies


FORGED_HOSTS = [
    b"evil.example",
    b"evil.example:80",
    b"127.0.0.1.evil.example",
    b"localhost.evil.example",
    b"127.0.0.1@evil.example",
    b"evil.example#127.0.0.1",
    b"localhost:80@evil.example",
    b"[::1]evil.example",
    b"localhost:http",
    b"",
]


def _with_host(target: bytes, host: bytes, *headers: bytes) -> bytes:
    lines = [b"GET " + target + b" HTTP/1.1", b"Host: " + host, *headers]
    return b"\r\n".join([*lines, b"Connection: close", b"", b""])


def test_a_forged_host_never_reaches_a_page_a_link_or_a_cache(server: str) -> None:
    """Without --base-url, the page's addresses come from the Host header: only the
    loopback names are answered, and X-Forwarded-Host / Forwarded are never read."""
    port = urlsplit(server).port
    assert port is not None
    own = f"127.0.0.1:{port}".encode()
    for target in (b"/", b"/?type=poster", b"/my?abstract=8013", b"/add/8017-1/",
                   b"/add/8017-1/?to=apple", b"/calendar.ics", b"/healthz"):  # fmt: skip
        for host in FORGED_HOSTS:
            code, headers, body = _raw(server, _with_host(target, host))
            assert code == 400, (target, host, code)
            assert b"evil" not in body and b"evil" not in b"".join(
                v.encode() for v in headers.values()
            )
            assert headers.get("x-content-type-options") == "nosniff"
        # Our own host, with forwarding headers naming another: the other never shows.
        forwarded = (b"X-Forwarded-Host: evil.example", b"Forwarded: host=evil.example",
                     b"X-Host: evil.example", b"X-Original-Host: evil.example")  # fmt: skip
        code, headers, body = _raw(server, _with_host(target, own, *forwarded))
        assert code in (200, 302), (target, code)
        assert b"evil" not in body, target
        assert "evil" not in headers.get("location", ""), target
    # Nothing forged went into a cached page either: a plain request sees only our address.
    for target in (b"/", b"/?type=poster", b"/add/8017-1/"):
        code, _, body = _raw(server, _with_host(target, own))
        assert code == 200 and b"evil" not in body
        if target == b"/":
            assert b'value="http://' + own + b'/calendar.ics"' in body
    code, headers, _ = _raw(server, _with_host(b"/add/8017-1/?to=apple", own))
    assert headers["location"] == f"http://127.0.0.1:{port}/sessions/8017-1.ics"
    # The loopback names, in any case and with a trailing dot, are ours.
    for host in (b"localhost:%d" % port, b"LOCALHOST:%d" % port, b"[::1]:%d" % port):
        assert _raw(server, _with_host(b"/healthz", host))[0] == 200, host


def test_with_a_public_address_the_host_header_is_used_for_nothing(workdir: Path) -> None:
    app = create_app(workdir / "sessions.yaml", base_url="https://cal.example.org/asco/")
    client = TestClient(app, base_url="http://evil.example")
    html = client.get("/", headers={"X-Forwarded-Host": "evil.example"}).text
    assert "evil" not in html
    assert 'value="https://cal.example.org/asco/calendar.ics"' in html
    moved = client.get("/add/8017-1/?to=apple", follow_redirects=False)
    assert moved.headers["location"] == "https://cal.example.org/asco/sessions/8017-1.ics"


def test_serve_answers_for_the_hosts_it_was_told(workdir: Path) -> None:
    """`serve --allowed-host cal.test`: that name (any port) and the loopback ones only."""
    import subprocess
    import sys
    import time

    from support import free_port

    port = free_port()
    log = (workdir / "allowed.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "asco_cal", "serve", "sessions.yaml", "--port", str(port),
         "--allowed-host", "cal.test"],
        cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if _raw(base, _with_host(b"/healthz", b"localhost"))[0] == 200:
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        code, _, body = _raw(base, _with_host(b"/", b"cal.test:%d" % port))
        assert code == 200
        assert b'value="http://cal.test:%d/calendar.ics"' % port in body
        assert _raw(base, _with_host(b"/", b"CAL.TEST"))[0] == 200
        for other in (b"cal.test.evil.example", b"evil.cal.test", b"other.test"):
            code, _, body = _raw(base, _with_host(b"/", other))
            assert code == 400, other
            assert body.startswith(b"Unknown host: this server does not answer for the name")
            assert b"cal.test" not in body and b"localhost" not in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
    banner = (workdir / "allowed.log").read_text(encoding="utf-8")
    assert "Answers for:  localhost, 127.0.0.1, ::1, cal.test (add names with" in banner
    assert "Traceback" not in banner


def test_a_big_head_sent_in_pieces_is_refused_by_the_guard(server: str) -> None:
    """However the bytes arrive (here 20 KB, a pause, the rest), the Guard answers 431,
    not the HTTP parser's bare 400 (its buffer is set above the Guard's limits)."""
    request = _get(b"/", b"X-Big: " + b"a" * (MAX_HEADERS + 10))
    parts = urlsplit(server)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(request[:20_000])
        time.sleep(0.3)
        conn.sendall(request[20_000:])
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    assert data.split(b"\r\n", 1)[0].split()[1] == b"431", data[:200]
