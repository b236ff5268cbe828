"""The typer app, the only package that prints or exits: parse options, call the core, render.

`common` holds the app and what every command shares; each area registers its commands on it
(query, then progress, then exchange: the order `dzshare --help` lists them in), as typer's
docs lay out a larger app.
"""

from dzshare_cli.cli.common import app, main
from dzshare_cli.cli import query, progress, exchange, forms, notice, site  # noqa: E402,F401  (registers the commands)

__all__ = ["app", "main"]
