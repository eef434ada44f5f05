"""Safe by default: production refuses to start without secrets and passes Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SECURE_SSL_REDIRECT"}}
    clean.update(DJANGO_SETTINGS_MODULE="storefront.settings.production", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="shop.example.vn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off." in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    SECRET_KEY="k3y-" + "a1b2c3d4e5" * 6, ALLOWED_HOSTS="shop.example.vn")
    assert result.returncode == 0, result.stdout + result.stderr


def test_configure_site_points_the_default_site_at_site_url(db, settings):
    from django.core.management import call_command
    from wagtail.models import Site

    settings.SITE_URL = "https://ocop.example.vn"
    call_command("configure_site")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("ocop.example.vn", 443, "https://ocop.example.vn")


def test_the_site_has_a_favicon_at_its_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_production_serves_collected_static_files_compressed_and_hashed(tmp_path):
    """`collectstatic` with the production settings writes content-hashed, pre-compressed copies for WhiteNoise."""
    env = dict(SECRET_KEY="k3y-" + "a1b2c3d4e5" * 6, ALLOWED_HOSTS="shop.example.vn", STATIC_ROOT=str(tmp_path))
    result = manage("collectstatic", "--noinput", "-v", "0", **env)
    assert result.returncode == 0, result.stderr
    hashed = [p.name for p in (tmp_path / "css").glob("site.*.css")]
    assert hashed and (tmp_path / "css" / f"{hashed[0]}.gz").exists() and (tmp_path / "staticfiles.json").exists()
