"""agora-rtc install-sdk against a local HTTPS server with its own CA: a good
archive installs; a bad hash, a truncated download, path traversal, links, plain
http and unknown versions are refused and leave nothing behind."""

import hashlib
import http.server
import io
import os
import ssl
import subprocess
import sys
import threading
import zipfile

import pytest

from agora_rtc.install_sdk import InstallError, install_sdk


def make_zip(entries, link=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (0o120777 << 16)  # a symlink
            z.writestr(info, "/etc/passwd")
    return buf.getvalue()


GOOD = make_zip({"agora_sdk/libagora_rtc_sdk.so": b"\x7fELF fake", "agora_sdk/libaosl.so": b"\x7fELF aosl"})
FILES = {
    "/good.zip": GOOD,
    "/traversal.zip": make_zip({"agora_sdk/libagora_rtc_sdk.so": b"x", "../escaped.so": b"evil"}),
    "/absolute.zip": make_zip({"/tmp/absolute-evil.so": b"evil", "libagora_rtc_sdk.so": b"x"}),
    "/link.zip": make_zip({"libagora_rtc_sdk.so": b"x"}, link="agora_sdk/passwd"),
    "/nolib.zip": make_zip({"readme.txt": b"nothing"}),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/truncated.zip":
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD)))
            self.end_headers()
            self.wfile.write(GOOD[: len(GOOD) // 2])  # and the connection closes
            return
        body = FILES.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    key, cert = d / "key.pem", d / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}", str(cert)
    httpd.shutdown()


def sha(data):
    return hashlib.sha256(data).hexdigest()


def test_good_archive_installs_and_prints_the_library(server, tmp_path):
    base, cafile = server
    dest = tmp_path / "sdk"
    run = subprocess.run([sys.executable, "-m", "agora_rtc", "install-sdk", "--url", f"{base}/good.zip",
                          "--sha256", sha(GOOD), "--dest", str(dest), "--cafile", cafile],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    library = dest / "agora_sdk" / "libagora_rtc_sdk.so"
    assert f"AGORA_RTC_SDK={library}" in run.stdout
    assert library.read_bytes() == b"\x7fELF fake"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sdk"]  # no staging left


@pytest.mark.parametrize("path, digest, message", [
    ("/good.zip", "0" * 64, "sha256"),
    ("/truncated.zip", sha(GOOD), "truncated|IncompleteRead|failed"),
    ("/traversal.zip", None, "outside the destination"),
    ("/absolute.zip", None, "outside the destination"),
    ("/link.zip", None, "is a link"),
    ("/nolib.zip", None, "holds no"),
    ("/missing.zip", "1" * 64, "404"),
])
def test_bad_downloads_are_refused_and_leave_nothing(server, tmp_path, path, digest, message):
    base, cafile = server
    digest = digest or sha(FILES[path])
    with pytest.raises(InstallError, match=message):
        install_sdk(url=base + path, sha256=digest, dest=tmp_path / "sdk", cafile=cafile)
    assert list(tmp_path.iterdir()) == []
    assert not os.path.exists("/tmp/absolute-evil.so")


def test_tls_is_verified_and_plain_http_refused(server, tmp_path):
    base, _ = server
    with pytest.raises(InstallError, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
        install_sdk(url=f"{base}/good.zip", sha256=sha(GOOD), dest=tmp_path / "sdk")  # the system CAs do not know it
    with pytest.raises(InstallError, match="only https"):
        install_sdk(url="http://127.0.0.1/good.zip", sha256=sha(GOOD), dest=tmp_path / "sdk")
    with pytest.raises(InstallError, match="no known archive"):
        install_sdk(version="4.4.32", dest=tmp_path / "sdk")
    with pytest.raises(InstallError, match="64 hex"):
        install_sdk(url=f"{base}/good.zip", sha256="abc", dest=tmp_path / "sdk")
    assert list(tmp_path.iterdir()) == []
