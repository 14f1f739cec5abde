"""Settings: environment, file, and the refusal of placeholder secrets outside development."""

from __future__ import annotations

import pytest

from safereply.errors import ConfigError
from safereply.settings import DEFAULT_SECRET, Settings, default_database_url, load_settings


def test_default_database_is_sqlite_in_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("SAFEREPLY_DATABASE_URL", raising=False)
    url = default_database_url()
    assert url.startswith("sqlite:///") and url.endswith("safereply.sqlite3")
    assert str(tmp_path) in url
    assert Settings().resolved_database_url == url


def test_environment_wins_over_the_file(monkeypatch, tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[safereply]\nbase_url = "https://file.test"\nsmtp_port = 2525\n')
    monkeypatch.setenv("SAFEREPLY_BASE_URL", "https://env.test")
    settings = load_settings(path)
    assert settings.base_url == "https://env.test" and settings.smtp_port == 2525


def test_bad_values_name_the_setting(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("smtp_port = 99999\n")
    with pytest.raises(ConfigError, match="smtp_port"):
        load_settings(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "missing.toml")


@pytest.mark.parametrize("environment", ["production", "test"])
def test_default_secret_is_refused_outside_development(environment):
    with pytest.raises(ConfigError, match="SAFEREPLY_SECRET_KEY"):
        Settings(environment=environment, secret_key=DEFAULT_SECRET).check_secure()
    with pytest.raises(ConfigError, match="at least 32"):
        Settings(environment=environment, secret_key="short").check_secure()
    Settings(environment=environment, secret_key="s" * 40).check_secure()


def test_default_secret_is_fine_in_development():
    Settings(environment="development").check_secure()
