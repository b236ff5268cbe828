"""Running the CLI in-process through typer's CliRunner."""

from typer.testing import CliRunner

from dzshare_cli.cli import app


def run(*args: str, env: dict[str, str] | None = None):
    """Invoke `dzshare ARGS`; stdout and stderr are kept apart (result.stdout, result.stderr)."""
    return CliRunner().invoke(app, list(args), env=env, prog_name="dzshare")


def progress_json(date: str | None, unit: str | None, note: str, **reported: object) -> dict[str, object]:
    """A progress note as `--format json` pins it: every key, in order, null when not said."""
    keys = ("milestone", "period", "status", "done_on", "evidence", "problems", "reporter")
    assert set(reported) <= set(keys), set(reported) - set(keys)
    return {"date": date, "unit": unit, "note": note, **{key: reported.get(key) for key in keys}}
