"""Mutations of the bundled table never crash `dzshare validate`: exit 0 or 1, every problem at a line."""

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.helpers import run

BUNDLED = (Path(__file__).resolve().parents[1] / "data" / "tasks.yaml").read_text(encoding="utf-8")
LINES = BUNDLED.splitlines(keepends=True)
PROBLEM_LINE = re.compile(r"[^\n]+:\d+:\d+: (error|warning)\[[a-z-]+\]: .+")
SCALARS = st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
                    st.text(max_size=12), st.just("[]"), st.just("{}"), st.just("2021-02-30"),
                    st.just("*anchor"), st.just("!!python/object:os.system"))


def _yaml_scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@st.composite
def mutated_tables(draw) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["delete", "duplicate", "retype", "truncate", "insert"]))
        index = draw(st.integers(0, len(lines) - 1))
        if operation == "delete":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "retype" and ": " in lines[index]:
            key = lines[index].split(": ", 1)[0]
            lines[index] = f"{key}: {_yaml_scalar(draw(SCALARS))}\n"
        elif operation == "truncate":
            text = "".join(lines)
            lines = [text[: draw(st.integers(0, len(text)))]]
        else:
            position = draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:position] + draw(st.text(max_size=8)) + lines[index][position:]
        if not lines:
            break
    return "".join(lines)


@given(mutated_tables())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_validate_never_crashes(text):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "tasks.yaml"
        path.write_text(text, encoding="utf-8")
        result = run("validate", str(path), "--as-of", "2022-01-15")
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    for line in result.stdout.splitlines():
        assert PROBLEM_LINE.fullmatch(line), line
    assert (result.exit_code == 1) == bool(re.search(r"error\[", result.stdout))
