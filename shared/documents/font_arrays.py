"""Glyph-id arrays of WeasyPrint's font subsetting, made without a C parse for each new length (issue 12).

weasyprint.pdf.fonts builds its glyph arrays as `ffi.new(f"hb_codepoint_t[{len(glyphs)}]", glyphs)`.
cffi parses every distinct type string with pycparser (4–9 ms) and keeps it for good, and the lengths
are the number of glyphs a document uses and its highest glyph id, per font: with the user's text they
differ from one document to the next, so a worker kept paying the parse for 3 fonts × 2 arrays and its
type cache kept growing. The open array type `hb_codepoint_t[]` with the same items is the same array
and is parsed once. Installed by shared.documents.pdf.warm_up (each renderer worker process).
"""

import re

_SIZED_GLYPH_ARRAY = re.compile(r"hb_codepoint_t\[(\d+)\]")


class OpenGlyphArrays:
    """weasyprint.pdf.fonts's ffi, except that `new("hb_codepoint_t[N]", N items)` uses `hb_codepoint_t[]`."""

    def __init__(self, ffi) -> None:
        self._ffi = ffi

    def new(self, cdecl, init=None):
        if isinstance(cdecl, str) and init is not None:
            sized = _SIZED_GLYPH_ARRAY.fullmatch(cdecl)
            if sized and int(sized.group(1)) == len(init):
                cdecl = "hb_codepoint_t[]"
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name):
        return getattr(self._ffi, name)


def install() -> None:
    from weasyprint.pdf import fonts

    if not isinstance(fonts.ffi, OpenGlyphArrays):
        fonts.ffi = OpenGlyphArrays(fonts.ffi)
