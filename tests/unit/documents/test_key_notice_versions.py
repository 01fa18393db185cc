"""The key notice of a change (変更-N) says so and that the 認証キー is unchanged; a 新規 notice (and every
caller that does not say which version) reads exactly as before."""

from shared.documents import KeyNotice
from tests.unit.documents.conftest import sample_notice
from tests.unit.documents.test_pdfs import assert_shows, pdftotext, squashed

UNCHANGED = "「保証契約番号」と「認証キー」は変更前と同じです（認証キーは変わりません）。"


def test_version_label_defaults_to_new():
    notice = sample_notice()
    assert notice.version_label == "新規" and not notice.amended
    assert KeyNotice(**{**notice.model_dump(), "version_label": "変更-1"}).amended


async def test_notice_of_a_change(renderer):
    text = pdftotext(await renderer.key_notice_pdf(sample_notice(version_label="変更-2")))
    assert_shows(text, [
        "電子保証にかかる「認証キー」のお知らせ",
        "保証契約の変更（変更-2）により、変更後の電子証書を「保証確認サービス（D-Sure）」に掲載しましたので、お知らせします。",
        UNCHANGED,
        "保証契約番号：00126-00001M",
        "認証キー：Z28YUE4J3Bux",
        "対象：変更-2（変更後の内容）",
        "【発注者様へお願い】",
    ])
    assert "、電子証書を" not in squashed(text) and squashed(text).count("掲載しましたので") == 1


async def test_notice_of_a_new_certificate_says_nothing_of_a_change(renderer):
    text = squashed(pdftotext(await renderer.key_notice_pdf(sample_notice())))
    assert "電子証書を「保証確認サービス（D-Sure）」に掲載しましたので、お知らせします。" in text
    assert "変更" not in text and "対象" not in text
