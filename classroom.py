"""Serve the app to a classroom over HTTPS: `python classroom.py`.

Browsers give the camera only to pages served over https (or from localhost), so students at
http://<teacher-ip>:8501 could not take a photo. This makes a self-signed certificate once (kept in
`.classroom/`, git-ignored; reused while valid and while it names this machine's addresses),
starts Streamlit with it on all interfaces, and prints the address, its QR code and what students
click once to accept the certificate. Not part of core/ (it starts Streamlit).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import ipaddress
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent
FOLDER = REPO / ".classroom"
CERT, KEY = "cert.pem", "key.pem"
DAYS = 365  # Apple refuses TLS certificates valid for more than 825 days, even after a click
RENEW = dt.timedelta(days=1)  # a certificate that expires sooner is made again

ACCEPT = """\
Students, once per device: the browser warns that the connection is not private, because this
certificate was made on the teacher's computer, not by an authority. It is safe in this room.
  Chrome / Edge: Advanced → Proceed to {host} (unsafe)
  Safari (iPhone, iPad, Mac): Show Details → visit this website → Visit Website
  Firefox: Advanced… → Accept the Risk and Continue
同學們，每台裝置一次：瀏覽器會警告「你的連線不是私人連線」，因為這張憑證是在老師的電腦上產生的，
而不是由憑證機構簽發。在這間教室裡可以放心使用。
  Chrome / Edge：進階 → 繼續前往 {host}（不安全）
  Safari（iPhone、iPad、Mac）：顯示詳細資訊 → 造訪此網站 → 造訪網站
  Firefox：進階… → 接受風險並繼續
"""


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses on the room's network (no loopback), found locally."""
    found = set()
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))  # UDP connect sends nothing: it picks the default route's interface
        found.add(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    usable = (ipaddress.ip_address(a) for a in found)
    return [str(a) for a in sorted(a for a in usable if not (a.is_loopback or a.is_link_local))]


def _names(addresses: list[str]) -> set:
    from cryptography import x509

    ips = {"127.0.0.1", *addresses}
    return {x509.DNSName("localhost")} | {x509.IPAddress(ipaddress.ip_address(a)) for a in ips}


def _usable(cert_path: Path, key_path: Path, names: set, now: dt.datetime) -> bool:
    """The certificate on disk parses, matches its key, is valid for a while yet, and names every address."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        sans = set(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value)
    except (OSError, ValueError, TypeError, x509.ExtensionNotFound):
        return False
    der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    same_key = cert.public_key().public_bytes(*der) == key.public_key().public_bytes(*der)
    return same_key and cert.not_valid_before_utc <= now and now + RENEW < cert.not_valid_after_utc and names <= sans


def _write(path: Path, data: bytes, mode: int) -> None:
    """Temp file (created 0600) + rename, so a killed start never leaves half a key."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def certificate(folder: Path, addresses: list[str], now: dt.datetime | None = None) -> tuple[Path, Path]:
    """(cert, key) in `folder`: the ones there while usable, else a new self-signed pair for
    localhost, 127.0.0.1 and `addresses` (an EC P-256 key, readable by its owner only)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = now or dt.datetime.now(dt.timezone.utc)
    cert_path, key_path = folder / CERT, folder / KEY
    names = _names(addresses)
    if _usable(cert_path, key_path, names, now):
        return cert_path, key_path
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ConvNet Classroom")])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=DAYS))
            .add_extension(x509.SubjectAlternativeName(sorted(names, key=str)), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(key, hashes.SHA256()))
    _write(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()), 0o600)
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return cert_path, key_path


def _wait_until_up(url: str, cert: Path, server: subprocess.Popen, seconds: float = 60) -> bool:
    """Streamlit's health check over https, trusting only our own certificate."""
    context = ssl.create_default_context(cafile=str(cert))
    deadline = time.time() + seconds
    while time.time() < deadline and server.poll() is None:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1, context=context).read() == b"ok":
                return True
        except OSError:
            time.sleep(0.3)
    return False


def banner(urls: list[str]) -> str:
    """What the terminal shows once the server is up: the addresses, the first one's QR code, and
    how to accept the certificate, in English and 繁體中文."""
    import io

    import segno

    qr = io.StringIO()
    segno.make(urls[0], error="m").terminal(out=qr, compact=True, border=2)
    lines = ["", "ConvNet Classroom is served to the room at / 課堂網址：", *(f"  {url}" for url in urls),
             "", qr.getvalue(), ACCEPT.format(host=urls[0].split("//")[1].rsplit(":", 1)[0]),
             "Stop with Ctrl+C / 按 Ctrl+C 停止。"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="0.0.0.0", help="the interface to serve on (default: all)")
    parser.add_argument("--folder", type=Path, default=FOLDER, help="where the certificate and its key are kept")
    args = parser.parse_args(argv)
    rooms = lan_addresses() if args.address == "0.0.0.0" else [args.address]
    cert, key = certificate(args.folder, [a for a in rooms if a != "127.0.0.1"])
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(args.port),
         "--server.address", args.address, "--server.headless", "true",
         "--server.sslCertFile", str(cert), "--server.sslKeyFile", str(key)], cwd=REPO)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by a service manager: stop Streamlit too
    try:
        local = "127.0.0.1" if args.address == "0.0.0.0" else args.address
        if not _wait_until_up(f"https://{local}:{args.port}", cert, server):
            print("Streamlit did not start; its output is above.", file=sys.stderr)
            return 1
        print(banner([f"https://{a}:{args.port}" for a in rooms or ["127.0.0.1"]]), flush=True)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
