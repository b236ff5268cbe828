"""The source formats `dzshare import` reads (a module of its own so the CLI can offer them cheaply)."""

from enum import Enum


class SourceFormat(str, Enum):
    TEXT_TABLE = "text-table"
    CSV = "csv"
    HTML = "html"
    XLSX = "xlsx"
    DOCX = "docx"
    NOTES = "notes"
