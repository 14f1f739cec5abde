"""Migration 0012 leaves plain webhook secrets plain; ``keys rotate`` seals them (review defect 2).

The migration cannot see the settings file the command was given: sealing there used the key
derived from the public placeholder whenever the secret key lived only in a settings file.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

from safereply.services.sealing import is_sealed, reseal_all, unseal
from safereply.settings import load_settings
from safereply.store.engine import Store
from safereply.store.migrate import upgrade

PLAIN = "whsec-plain-1234567"


def test_upgrade_keeps_plain_secrets_and_rotate_seals_them(tmp_path, monkeypatch):
    for name in [k for k in os.environ if k.startswith("SAFEREPLY_")]:
        monkeypatch.delenv(name)
    url = f"sqlite:///{tmp_path / 'm.db'}"
    settings_file = tmp_path / "s.toml"
    settings_file.write_text('secret_key = "' + "k" * 40 + '"\n')
    store = Store.from_url(url)
    upgrade(store, "0011")
    with store.engine.begin() as c:
        c.exec_driver_sql("PRAGMA foreign_keys=OFF")
        c.exec_driver_sql(
            "insert into organisations (id,name,created_at) values (1,'o','2026-01-01 00:00:00')"
        )
        c.exec_driver_sql(
            "insert into practices (id,organisation_id,name,phone,staff,created_at)"
            " values (1,1,'p','555','[]','2026-01-01 00:00:00')"
        )
        c.exec_driver_sql(
            "insert into practice_settings (practice_id, approval_policy, cooling_off_minutes,"
            " sla_minutes, urgent_sla_minutes, notify_emails, webhook_secret, self_approval)"
            f" values (1,'all',10,1440,60,'[]','{PLAIN}',0)"
        )
    upgrade(store)
    query = sa.text("select webhook_secret from practice_settings")
    with store.engine.begin() as c:
        assert c.execute(query).scalar() == PLAIN  # not sealed with a key the service lacks
    settings = load_settings(str(settings_file), database_url=url)
    with store.write() as session:
        reseal_all(session, settings)
    with store.engine.begin() as c:
        stored = c.execute(query).scalar()
    assert is_sealed(stored) and unseal(stored, settings) == PLAIN
    store.dispose()
