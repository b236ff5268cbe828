"""Running the CLI in-process through typer's CliRunner."""

from typer.testing import CliRunner

from dzshare_cli.cli import app


def run(*args: str, env: dict[str, str] | None = None):
    """Invoke `dzshare ARGS`; stdout and stderr are kept apart (result.stdout, result.stderr)."""
    return CliRunner().invoke(app, list(args), env=env, prog_name="dzshare")
