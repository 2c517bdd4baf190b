"""The classroom command's certificate (classroom.py): valid for this machine's names, its key
readable by its owner only, reused on later starts, made again when expired, unreadable, for
another key or missing an address."""
from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

import classroom

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone.utc)
ROOM = ["192.168.1.23", "10.0.0.5"]


def read(cert_path):
    return x509.load_pem_x509_certificate(cert_path.read_bytes())


def sans(cert) -> set[str]:
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(value) for value in names.get_values_for_type(x509.IPAddress)} | set(
        names.get_values_for_type(x509.DNSName))


def test_a_new_certificate_names_the_room_and_localhost(tmp_path):
    cert_path, key_path = classroom.certificate(tmp_path / "c", ROOM, NOW)
    cert = read(cert_path)
    assert sans(cert) == {"localhost", "127.0.0.1", *ROOM}
    assert cert.not_valid_before_utc <= NOW < NOW + dt.timedelta(days=364) < cert.not_valid_after_utc
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 825  # Apple's limit
    usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.SERVER_AUTH in usage  # iOS requires it, even after a click
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    assert key.public_key().public_bytes(*der) == cert.public_key().public_bytes(*der)
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_path.parent.stat().st_mode) == 0o700
    ssl.create_default_context().load_cert_chain(cert_path, key_path)  # what Streamlit's server loads
    assert not list(key_path.parent.glob(".*.tmp"))


def test_a_usable_certificate_is_reused(tmp_path):
    first = [path.read_bytes() for path in classroom.certificate(tmp_path, ROOM, NOW)]
    later = NOW + dt.timedelta(days=200)
    assert [path.read_bytes() for path in classroom.certificate(tmp_path, ROOM[:1], later)] == first  # a subset is fine


@pytest.mark.parametrize("damage", ["expired", "expires_tomorrow", "cert_garbage", "key_garbage", "key_missing",
                                    "other_key", "new_address"])
def test_a_certificate_is_made_again_when_it_cannot_serve(tmp_path, damage):
    cert_path, key_path = classroom.certificate(tmp_path, ROOM, NOW)
    before = read(cert_path).serial_number
    when, room = NOW, ROOM
    if damage == "expired":
        when = NOW + dt.timedelta(days=400)
    elif damage == "expires_tomorrow":
        when = read(cert_path).not_valid_after_utc - dt.timedelta(hours=12)
    elif damage == "cert_garbage":
        cert_path.write_text("not a certificate")
    elif damage == "key_garbage":
        key_path.write_bytes(b"\x00" * 10)
    elif damage == "key_missing":
        key_path.unlink()
    elif damage == "other_key":
        key_path.write_bytes(classroom.certificate(tmp_path / "other", ROOM, NOW)[1].read_bytes())
    else:  # the laptop joined another network
        room = ["172.16.4.9"]
    cert_path, key_path = classroom.certificate(tmp_path, room, when)
    cert = read(cert_path)
    assert cert.serial_number != before
    assert cert.not_valid_before_utc <= when < cert.not_valid_after_utc
    assert set(room) <= sans(cert)
    ssl.create_default_context().load_cert_chain(cert_path, key_path)


def test_lan_addresses_are_this_machines_own_and_never_loopback():
    for address in classroom.lan_addresses():
        ip = ipaddress.ip_address(address)
        assert ip.version == 4 and not ip.is_loopback and not ip.is_link_local


def test_the_banner_gives_the_address_its_qr_code_and_how_to_accept_in_both_languages():
    text = classroom.banner(["https://192.168.1.23:8501", "https://10.0.0.5:8501"])
    assert "https://192.168.1.23:8501" in text and "https://10.0.0.5:8501" in text
    assert "█" in text  # the QR code, drawn in the terminal
    assert "Advanced → Proceed to 192.168.1.23" in text and "Show Details → visit this website" in text
    assert "進階 → 繼續前往 192.168.1.23" in text and "顯示詳細資訊 → 造訪此網站" in text
