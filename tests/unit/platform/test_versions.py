from datetime import datetime, timezone

import pytest

from services.platform.domain.versions import history, version_label


def test_first_issue_is_new_and_amendments_are_numbered():
    assert version_label(0) == "新規"
    assert version_label(1) == "変更-1"
    assert version_label(12) == "変更-12"


def test_a_negative_version_is_refused():
    with pytest.raises(ValueError):
        version_label(-1)


def test_history_is_numbered_in_version_order_and_shown_in_jst():
    first = datetime(2022, 11, 1, 6, 0, 30, tzinfo=timezone.utc)
    amended = datetime(2022, 4, 18, 6, 51, tzinfo=timezone.utc)  # arrival order does not decide the numbering
    entries = history([(1, "変更-1", amended), (0, "新規", first)])
    assert [(e.no, e.version, e.label) for e in entries] == [(1, 0, "新規"), (2, 1, "変更-1")]
    assert entries[0].published_at_jst == "2022/11/01 15:00"
    assert entries[1].published_at_jst == "2022/04/18 15:51"
    assert entries[0].published_at == first


def test_jst_crosses_the_date_line():
    (entry,) = history([(0, "新規", datetime(2023, 3, 31, 15, 30, tzinfo=timezone.utc))])
    assert entry.published_at_jst == "2023/04/01 00:30"
