"""Writing a ledger's manifest: a new one, and one more document listed by a line-level edit."""

from pathlib import Path

import pytest

from dzshare_cli.errors import UsageError
from dzshare_cli.ledger import Manifest
from dzshare_cli.ledger_write import checked_key, default_key, manifest_text, with_document
from dzshare_cli.loader import parse_model

COMMENTED = """\
# 督办台账 of the office
title: 定州市督办台账   # shown in every heading
documents:
    # the 2021 table first
    dz2021: tables/dz2021.yaml   # bundled
    gzbg2024: tables/gzbg2024.yaml
# a comment after the documents
include: [meetings/*.yaml]
"""


def _read(text):
    model, problems = parse_model(text, "ledger.yaml", Manifest, "a ledger manifest")
    assert problems == []
    return model


def test_a_block_mapping_grows_by_one_line_at_its_indentation_and_every_other_line_is_kept():
    updated = with_document(COMMENTED, "hy2024", "tables/hy2024.yaml")
    lines = COMMENTED.splitlines()
    assert updated.splitlines() == [*lines[:6], "    hy2024: tables/hy2024.yaml", *lines[6:]]
    assert list(_read(updated).documents) == ["dz2021", "gzbg2024", "hy2024"]


def test_an_empty_flow_mapping_becomes_a_block():
    updated = with_document("title: t\ndocuments: {}\n# after\n", "a", "tables/a.yaml")
    assert updated == "title: t\ndocuments:\n  a: tables/a.yaml\n# after\n"


def test_a_flow_mapping_with_entries_keeps_its_style():
    updated = with_document("title: t\ndocuments: {a: tables/a.yaml}\n", "b", "tables/b.yaml")
    assert updated == "title: t\ndocuments: {a: tables/a.yaml, b: tables/b.yaml}\n"


def test_a_manifest_without_documents_gets_them_at_its_end():
    assert with_document("title: t", "a", "tables/a.yaml") == "title: t\ndocuments:\n  a: tables/a.yaml\n"


def test_the_last_entry_without_a_line_break_gets_one():
    updated = with_document("title: t\ndocuments:\n  a: tables/a.yaml", "b", "tables/b.yaml")
    assert updated == "title: t\ndocuments:\n  a: tables/a.yaml\n  b: tables/b.yaml\n"


def test_windows_line_endings_are_kept():
    updated = with_document("title: t\r\ndocuments:\r\n  a: tables/a.yaml\r\n", "b", "tables/b.yaml")
    assert updated == "title: t\r\ndocuments:\r\n  a: tables/a.yaml\r\n  b: tables/b.yaml\r\n"


@pytest.mark.parametrize("key", ["2024", "true", "null", "1.5", "0x1F", "1e3"])
def test_a_key_yaml_would_read_as_a_number_or_a_constant_is_quoted(key):
    updated = with_document("title: t\ndocuments: {}\n", key, f"tables/{key}.yaml")
    assert _read(updated).documents == {key: f"tables/{key}.yaml"}


def test_a_flow_manifest_is_left_to_the_user():
    with pytest.raises(UsageError, match="by hand"):
        with_document("{title: t, documents: {}}\n", "a", "tables/a.yaml")


@pytest.mark.parametrize("title", ["定州市督办台账", "a: b", "#1 台账", "'quoted'", "- dash", "[x]", "yes", "2024"])
def test_a_new_manifest_reads_back_with_its_title_and_no_documents(title):
    model = _read(manifest_text(title))
    assert (model.title, model.documents) == (title, {})


@pytest.mark.parametrize("title", ["", "  ", "two\nlines", "bell\x07"])
def test_a_title_that_cannot_be_one_line_of_text_is_refused(title):
    with pytest.raises(UsageError, match="--title"):
        manifest_text(title)


def test_keys():
    assert checked_key("gzbg2024") == "gzbg2024"
    for bad in ["a:b", "-a", "", "台账", "a b"]:
        with pytest.raises(UsageError, match="cannot be a document key"):
            checked_key(bad)
    assert default_key(Path("x/hy2024-03.yaml")) == "hy2024-03"
    assert default_key(Path("附件2.docx")) is None
    assert default_key(Path("-")) is None
