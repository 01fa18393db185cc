"""WeasyPrint's glyph arrays cost no C type parse per new glyph count (shared/documents/font_arrays.py, issue 12)."""

from weasyprint.text.ffi import ffi

from shared.documents import pdf
from tests.unit.documents.conftest import sample_content, sample_notice


def test_documents_with_other_glyphs_parse_no_new_c_types():
    pdf.warm_up()
    pdf.render_certificate(sample_content())
    # cffi keeps each type string it parsed (pycparser, several ms each); the glyph arrays of a document
    # whose text uses other glyphs used to add two per font.
    parsed = len(ffi._parsed_types)
    for i, name in enumerate(["北海道札幌市中央区", "青森県八戸市河川改修", "宮城県仙台市青葉区道路舗装補修"]):
        pdf.render_certificate(sample_content(construction_name=name * (i + 1) + "工事"))
        pdf.render_key_notice(sample_notice(construction_name=name + "工事", contractor_name=name[:3] + "建設　株式会社"))
    assert len(ffi._parsed_types) == parsed


def test_other_arrays_are_left_alone():
    from shared.documents.font_arrays import OpenGlyphArrays

    arrays = OpenGlyphArrays(ffi)
    assert ffi.typeof(arrays.new("hb_codepoint_t[3]", [1, 2, 3])) is ffi.typeof("hb_codepoint_t[]")
    assert list(arrays.new("hb_codepoint_t[3]", [1, 2, 3])) == [1, 2, 3]
    assert ffi.typeof(arrays.new("hb_codepoint_t[4]", [1])) is ffi.typeof("hb_codepoint_t[4]")  # zero-filled: as asked
    assert arrays.NULL == ffi.NULL
