"""The meeting pack as a PDF, written on the server by WeasyPrint.

The PDF is the pack page's own content (templates/governance/pack/), laid
out on A4 by static/css/pack_pdf.css, with the document's structure tagged
(headings, tables, lists: ``pdf_tags``) for screen readers. WeasyPrint
fetches nothing: the styles are read from disk and every other URL is
refused, so a value in the pack can never make the server call out.
"""

import contextlib
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

STYLESHEET = "css/pack_pdf.css"


class ExternalResourceRefused(ValueError):
    pass


def _no_fetch(url: str, *args, **kwargs):
    raise ExternalResourceRefused(url)


def render_pack(context: dict[str, Any], *, request: HttpRequest | None = None, language: str | None = None) -> bytes:
    """The pack's PDF. ``language`` renders outside a request (the e-mail
    task); a request renders in the reader's language."""
    # Imported here: the library (and Debian's pango) is only needed by
    # whoever produces a PDF, not by every process importing the views.
    from weasyprint import CSS, HTML

    with translation.override(language) if language else contextlib.nullcontext():
        html = render_to_string("governance/pack_pdf.html", {**context, "pdf": True}, request=request)
    stylesheet = CSS(filename=finders.find(STYLESHEET))
    document = HTML(string=html, base_url="about:blank", url_fetcher=_no_fetch)
    return document.write_pdf(stylesheets=[stylesheet], pdf_tags=True)
