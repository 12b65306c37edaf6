"""The QR code that opens the join page with the class code filled in, as a small SVG file: no script, no
style, black on white so it prints and scans from a projector alike."""

from __future__ import annotations

import io

import segno


def join_qr_svg(url: str, title: str) -> bytes:
    """``title`` must not carry text anyone could type (it is written into the SVG as it is)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        omitsize=True,  # only a viewBox: the page decides how big it is
        border=4,  # the quiet zone scanners need
        dark="#000",
        light="#fff",
        title=title,
        svgclass=None,
        lineclass=None,
        nl=False,
    )
    return out.getvalue()
