"""Shared fixtures: the bundled table, loaded once."""

import pytest

from dzshare_cli.loader import bundled_table_path, load_table


@pytest.fixture(scope="session")
def table():
    return load_table(bundled_table_path())


@pytest.fixture(autouse=True)
def _ledger_cache_in_tmp(tmp_path_factory, monkeypatch):
    """No test writes to the user's cache folder: each gets a ledger cache of its own."""
    monkeypatch.setenv("DZSHARE_CACHE_DIR", str(tmp_path_factory.mktemp("dzshare-cache")))
    for name in ("DZSHARE_NO_CACHE", "DZSHARE_CACHE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
