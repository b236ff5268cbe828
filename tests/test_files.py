"""Writing user files: atomic, no clobbering without force, safe names that stay inside DIR."""

import os
import stat
from pathlib import Path

import pytest

from dzshare_cli import files
from dzshare_cli.files import (OutputError, file_names, inside, refuse_existing, safe_file_name,
                               write_atomic, write_files)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("市财政局", "市财政局"),
        ("各乡镇(街道)", "各乡镇(街道)"),
        ("a/b\\c", "a_b_c"),
        ("../../etc/passwd", "___etc_passwd"),
        ("..", "_"),
        ("", "_"),
        ("  .hidden. ", "hidden"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("LPT1", "_LPT1"),
        ("a:b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h"),
        ("tab\there", "tab_here"),
    ],
)
def test_safe_file_name(name, safe):
    assert safe_file_name(name) == safe
    assert "/" not in safe and "\\" not in safe and ".." not in safe


def test_file_names_are_distinct_ignoring_case():
    assert file_names(["a/b", "a_b", "A_B", "x"], ".csv") == ["a_b.csv", "a_b (2).csv", "A_B (3).csv", "x.csv"]


def test_inside_refuses_to_leave_the_directory(tmp_path):
    assert inside(tmp_path, "x.csv") == (tmp_path / "x.csv").resolve()
    for bad in ("../x.csv", "sub/x.csv", "/etc/passwd"):
        with pytest.raises(OutputError, match="outside"):
            inside(tmp_path, bad)


def test_write_creates_the_file(tmp_path):
    path = tmp_path / "out.csv"
    write_atomic(path, b"data")
    assert path.read_bytes() == b"data"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_existing_file_is_not_replaced_without_force(tmp_path):
    path = tmp_path / "out.csv"
    path.write_bytes(b"mine")
    with pytest.raises(OutputError, match="file exists; pass --force") as caught:
        write_atomic(path, b"new")
    assert caught.value.exit_code == 3
    assert path.read_bytes() == b"mine"
    write_atomic(path, b"new", force=True)
    assert path.read_bytes() == b"new"


def test_replacing_keeps_the_file_mode(tmp_path):
    path = tmp_path / "out.csv"
    path.write_bytes(b"mine")
    path.chmod(0o640)
    write_atomic(path, b"new", force=True)
    assert path.stat().st_mode & 0o777 == 0o640


def test_an_interrupted_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    path.write_bytes(b"old contents")

    def crash(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OutputError, match="cannot write: No space left on device"):
        write_atomic(path, b"new contents", force=True)
    assert path.read_bytes() == b"old contents"
    assert list(tmp_path.iterdir()) == [path]


def test_a_file_appearing_during_the_write_is_not_clobbered(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    real_mode_for = files._mode_for

    def someone_else_writes(target: Path) -> int:
        target.write_bytes(b"theirs")
        return real_mode_for(target)

    monkeypatch.setattr(files, "_mode_for", someone_else_writes)
    with pytest.raises(OutputError, match="file exists"):
        write_atomic(path, b"ours")
    assert path.read_bytes() == b"theirs"
    assert list(tmp_path.iterdir()) == [path]


def test_refuse_existing_checks_every_path_first(tmp_path):
    (tmp_path / "b.csv").write_bytes(b"")
    paths = [tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"]
    with pytest.raises(OutputError, match="b.csv: file exists"):
        refuse_existing(paths, force=False)
    refuse_existing(paths, force=True)


def test_writing_to_a_directory_is_refused(tmp_path):
    with pytest.raises(OutputError, match="is a directory"):
        write_atomic(tmp_path, b"x")


def test_unwritable_directory(tmp_path):
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(tmp_path / "missing" / "out.csv", b"x")


def test_a_symlink_is_written_through(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_bytes(b"old")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    write_atomic(link, b"new", force=True)
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_a_dangling_symlink_is_refused_not_followed(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "elsewhere" / "created.csv")
    (tmp_path / "elsewhere").mkdir()
    for force in (False, True):
        with pytest.raises(OutputError, match="is a symbolic link to .*created.csv, which does not exist"):
            write_atomic(link, b"x", force=force)
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert link.is_symlink()


def test_a_symlink_to_a_file_is_written_through_only_with_force(tmp_path):
    real = tmp_path / "real.csv"
    real.write_bytes(b"mine")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with pytest.raises(OutputError, match="file exists; pass --force"):
        write_atomic(link, b"new")
    assert real.read_bytes() == b"mine"


@pytest.mark.parametrize("force", [False, True])
def test_a_named_pipe_is_not_replaced(tmp_path, force):
    pipe = tmp_path / "out.csv"
    os.mkfifo(pipe)
    with pytest.raises(OutputError, match=r"out.csv: not a regular file \(a named pipe\)"):
        write_atomic(pipe, b"x", force=force)
    assert pipe.is_fifo()


def test_a_device_is_not_replaced(tmp_path):
    device = tmp_path / "null"  # like /dev/null, made here: a failing test must not replace the real one
    os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    with pytest.raises(OutputError, match=r"null: not a regular file \(a character device\)"):
        write_atomic(device, b"x", force=True)
    assert device.is_char_device()


def test_a_read_only_file_is_not_replaced(tmp_path):
    path = tmp_path / "tasks.yaml"
    path.write_bytes(b"mine")
    path.chmod(0o444)
    with pytest.raises(OutputError, match=r"tasks.yaml: the file is read-only \(mode 0444\); nothing was "
                                          r"written; make it writable \(chmod u\+w "):
        write_atomic(path, b"new", force=True)
    assert path.read_bytes() == b"mine" and path.stat().st_mode & 0o777 == 0o444


def test_inside_returns_a_link_as_the_link_and_refuses_one_leading_out(tmp_path):
    (tmp_path / "x.csv").symlink_to(tmp_path / "planted.csv")
    link = inside(tmp_path, "x.csv")
    assert link == tmp_path.resolve() / "x.csv"
    with pytest.raises(OutputError, match="which does not exist"):
        write_atomic(link, b"x")
    (tmp_path / "y.csv").symlink_to("/etc/passwd")
    with pytest.raises(OutputError, match="y.csv: refusing to write outside"):
        inside(tmp_path, "y.csv")


def _files(tmp_path: Path, count: int) -> list[tuple[Path, bytes]]:
    return [(tmp_path / f"{number}.csv", f"file {number}".encode()) for number in range(count)]


def test_write_files_writes_every_file(tmp_path):
    assert write_files(_files(tmp_path, 3), force=False) == [tmp_path / f"{n}.csv" for n in range(3)]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["0.csv", "1.csv", "2.csv"]
    assert (tmp_path / "2.csv").read_bytes() == b"file 2"


def test_write_files_checks_every_file_before_writing_any(tmp_path):
    (tmp_path / "2.csv").mkdir()
    with pytest.raises(OutputError, match="2.csv: is a directory"):
        write_files(_files(tmp_path, 4), force=True)
    assert [path.name for path in tmp_path.iterdir()] == ["2.csv"]


def test_a_file_that_fails_to_write_leaves_none_written(tmp_path, monkeypatch):
    real_fsync, calls = os.fsync, []

    def third_fails(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", third_fails)
    with pytest.raises(OutputError, match="2.csv: cannot write: No space left on device; nothing was written$"):
        write_files(_files(tmp_path, 5), force=False)
    assert list(tmp_path.iterdir()) == []  # no file in place, no temporary file left


def test_a_file_that_fails_to_move_into_place_says_what_was_written(tmp_path, monkeypatch):
    def third_fails(real):
        def move(source, target):
            if str(target).endswith("2.csv"):
                raise OSError(5, "Input/output error")
            real(source, target)
        return move

    monkeypatch.setattr(os, "link", third_fails(os.link))
    monkeypatch.setattr(os, "replace", third_fails(os.replace))
    with pytest.raises(OutputError) as caught:
        write_files(_files(tmp_path, 5), force=False)
    assert str(caught.value) == (f"{tmp_path / '2.csv'}: cannot write: Input/output error; "
                                 "2 file(s) were already written: 0.csv, 1.csv")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["0.csv", "1.csv"]
