"""Shared fixtures: the bundled table, loaded once."""

import pytest

from dzshare_cli.loader import bundled_table_path, load_table


@pytest.fixture(scope="session")
def table():
    return load_table(bundled_table_path())
