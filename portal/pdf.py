"""PDF documents, rendered by WeasyPrint from templates, in Thai with Sarabun embedded."""

from functools import cache

import fontpkg_sarabun
from django.template.loader import render_to_string
from django.utils import translation


@cache
def font_faces_css() -> str:
    faces = []
    for weight, style, name in [
        (400, "normal", "Regular"),
        (700, "normal", "Bold"),
        (400, "italic", "Italic"),
    ]:
        path = fontpkg_sarabun.ROOT / "files" / f"Sarabun-{name}.ttf"
        faces.append(
            "@font-face { font-family: 'Sarabun'; "
            f"src: url('{path.as_uri()}'); font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(faces)


# HarfBuzz draws SARA AM (ำ) as NIKHAHIT + SARA AA, and WeasyPrint's text layer gives each
# glyph one character, so ำ and า overwrote each other in copied text (Kozea/WeasyPrint#2841).
# Writing ำ as its compatibility decomposition draws the same glyphs and keeps the text
# exact up to NFKC.
SARA_AM, NIKHAHIT_SARA_AA = "\u0e33", "\u0e4d\u0e32"


def render_pdf(template_name: str, context: dict, *, language="th") -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template_name, {**context, "font_faces_css": font_faces_css()})
    html = html.replace(SARA_AM, NIKHAHIT_SARA_AA)
    return HTML(string=html, base_url=".").write_pdf()
