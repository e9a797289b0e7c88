"""The annual report: charts, tables, HTML and PDF, with a manifest of every file."""

from .builder import build_report, data_sha256

__all__ = ["build_report", "data_sha256"]
