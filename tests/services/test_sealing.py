"""Secrets at rest: sealing with keys from settings, rotation, and a clear error on a wrong key."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from safereply.cli.main import main
from safereply.errors import ConfigError
from safereply.services.sealing import (
    PREFIX,
    SealError,
    derived_key,
    generate_key,
    is_sealed,
    rotate,
    seal,
    unseal,
)
from safereply.settings import Settings

SECRET = "s" * 40
PLAIN = "whsec-0123456789abcdef-ünïcode"


def _settings(keys: str = "", secret: str = SECRET) -> Settings:
    return Settings(environment="test", secret_key=secret, encryption_keys=keys)


def test_a_sealed_value_round_trips_and_hides_the_plaintext():
    settings = _settings(generate_key())
    token = seal(PLAIN, settings)
    assert token.startswith(PREFIX) and is_sealed(token)
    assert PLAIN not in token and "whsec" not in token
    assert unseal(token, settings) == PLAIN
    assert seal(PLAIN, settings) != token  # a fresh random IV every time


def test_without_keys_the_key_is_derived_from_the_secret_key_and_differs_from_it():
    settings = _settings()
    assert unseal(seal(PLAIN, settings), settings) == PLAIN
    assert derived_key(SECRET) != SECRET and len(derived_key(SECRET)) == 44
    assert derived_key(SECRET) == derived_key(SECRET)
    assert derived_key(SECRET) != derived_key(SECRET + "x")


def test_the_first_key_seals_and_every_key_unseals():
    old, new = generate_key(), generate_key()
    sealed_old = seal(PLAIN, _settings(old))
    both = _settings(f"{new}, {old}")
    assert unseal(sealed_old, both) == PLAIN
    fresh = rotate(sealed_old, both)
    assert unseal(fresh, _settings(new)) == PLAIN
    with pytest.raises(SealError):
        unseal(sealed_old, _settings(new))


def test_moving_from_the_derived_key_to_explicit_keys_needs_no_downtime():
    legacy = seal(PLAIN, _settings())
    explicit = _settings(generate_key())
    assert unseal(legacy, explicit) == PLAIN  # the derived key still opens it


def test_rotate_seals_a_plain_legacy_value():
    settings = _settings(generate_key())
    assert unseal(rotate(PLAIN, settings), settings) == PLAIN


def test_a_wrong_key_is_a_clear_error_without_the_value(caplog):
    token = seal(PLAIN, _settings(generate_key()))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SealError) as info:
        unseal(token, _settings(generate_key(), secret="t" * 40))
    message = str(info.value)
    assert "SAFEREPLY_ENCRYPTION_KEYS" in message and "keys rotate" in message
    assert PLAIN not in message and token not in message
    assert PLAIN not in caplog.text


@pytest.mark.parametrize("bad", ["sealed:v1:garbage", "sealed:v1:", "plain text", "sealed:v1:ü"])
def test_altered_or_unsealed_values_are_refused(bad):
    with pytest.raises(SealError):
        unseal(bad, _settings())


def test_a_tampered_token_is_refused():
    settings = _settings(generate_key())
    token = seal(PLAIN, settings)
    flipped = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(SealError):
        unseal(flipped, settings)


@pytest.mark.parametrize("bad", ["not-a-key", "a" * 44, "é" * 44])
def test_a_malformed_key_names_the_setting_and_its_position(bad):
    with pytest.raises(ConfigError, match="key 2 is not a Fernet key"):
        seal(PLAIN, _settings(f"{generate_key()},{bad}"))


def test_keys_generate_prints_a_usable_key(capsys):
    assert main(["keys", "generate"]) == 0
    key = capsys.readouterr().out.strip()
    assert unseal(seal(PLAIN, _settings(key)), _settings(key)) == PLAIN


def test_keys_generate_writes_an_owner_only_file_and_never_overwrites(tmp_path, capsys):
    target = tmp_path / "keys" / "deeper" / "sealing.key"
    assert main(["keys", "generate", "--output", str(target)]) == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(target.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(target.parent.parent).st_mode) == 0o700
    key = target.read_text().strip()
    assert key not in capsys.readouterr().out
    assert main(["keys", "generate", "--output", str(target)]) == 2
    assert target.read_text().strip() == key


@pytest.fixture
def sealed_db(tmp_path, monkeypatch):
    """A database holding one webhook secret sealed with an old key."""
    import sqlalchemy as sa

    from safereply.core.practice import Practice as Profile
    from safereply.services import SYSTEM, build_services
    from safereply.store import open_store

    monkeypatch.setenv("SAFEREPLY_SECRET_KEY", SECRET)
    url = f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    old = generate_key()
    services = build_services(open_store(url), _settings())
    services.practices.create_practice(SYSTEM, Profile(name="Maple", phone="(555) 201-3300"))
    with services.store.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE practice_settings SET webhook_secret = :s"),
            {"s": seal(PLAIN, _settings(old))},
        )
    services.store.dispose()

    def stored() -> str:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            value = conn.execute(sa.text("SELECT webhook_secret FROM practice_settings")).scalar()
        engine.dispose()
        return value

    return url, old, stored


def test_keys_rotate_reseals_every_sealed_column_with_the_first_key(sealed_db, monkeypatch, capsys):
    url, old, stored = sealed_db
    new = generate_key()
    before = stored()
    monkeypatch.setenv("SAFEREPLY_ENCRYPTION_KEYS", f"{new},{old}")
    assert main(["keys", "rotate", "--database-url", url]) == 0
    assert "practice_settings.webhook_secret: 1 re-sealed" in capsys.readouterr().out
    after = stored()
    assert after != before and unseal(after, _settings(new)) == PLAIN


def test_keys_rotate_with_a_wrong_key_changes_nothing_and_says_where(
    sealed_db, monkeypatch, capsys
):
    url, _old, stored = sealed_db
    before = stored()
    monkeypatch.setenv("SAFEREPLY_ENCRYPTION_KEYS", generate_key())
    assert main(["keys", "rotate", "--database-url", url]) == 1
    err = capsys.readouterr().err
    assert (
        "practice_settings.webhook_secret (practice_id=1)" in err and "nothing was changed" in err
    )
    assert PLAIN not in err
    assert stored() == before
