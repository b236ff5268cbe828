"""Test helpers: paths to test data, a pinned as-of date, a small table to write."""

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

FIXTURES = Path(__file__).parent / "fixtures"
#: Tests never read the clock: every date-dependent test passes this or its own date.
AS_OF = date(2021, 8, 1)


def write_table(tmp_path: Path, body: str, name: str = "tasks.yaml") -> Path:
    """Write a small table file and return its path."""
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


MINIMAL_TABLE = """\
document:
  title: 测试表
  year: 2021
tasks:
  - id: 1
    title: 第一项
    text: 成立协调推进机制。
    lead: [市行政审批局]
    responsible: [市直相关部门]
    deadline: 2021年9月底
  - id: 2
    text: 建设平台。
    lead:
      - 市政务数据共享协调机制
    deadline: 2021年12月底取得阶段成效;2022年10月底基本建成
  - id: 3
    text: 长期工作。
    lead: [市财政局]
    responsible: []
    deadline: 长期推进
"""


def load_benchmark(name: str) -> ModuleType:
    """benchmarks/NAME.py as a module, for testing its helpers (not its timings)."""
    script = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    search_path = list(sys.path)
    sys.path.insert(0, str(script.parent))  # for its sibling scripts (startup.py, ledger.py)
    try:
        spec.loader.exec_module(module)
    finally:  # the other tests need not see benchmarks/ on the path
        sys.path[:] = search_path
    return module
