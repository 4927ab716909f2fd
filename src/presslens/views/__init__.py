"""Renderings shared by the report and the web UI: HTML built from articles, nothing else."""

from __future__ import annotations

from presslens.views.report import render_article_text, render_report, report_summary, safe_href

__all__ = ["render_article_text", "render_report", "report_summary", "safe_href"]
