"""Certificate versions and their history (電子保証情報（履歴情報）): No., 電子保証発行日時, 対象."""

from dataclasses import dataclass
from datetime import datetime, timezone

from shared.japanese import jst_minute
from services.platform.domain import messages


def version_label(version: int) -> str:
    """0 → 新規 (the first issue), N → 変更-N (the N-th amendment)."""
    if version < 0:
        raise ValueError(f"a certificate version is 0 or more, not {version}")
    return messages.NEW_VERSION_LABEL if version == 0 else messages.AMENDMENT_LABEL.format(n=version)


@dataclass(frozen=True)
class HistoryEntry:
    no: int
    version: int
    label: str
    published_at: datetime  # 電子保証発行日時, UTC
    published_at_jst: str  # as shown: 2022/11/01 15:00


def history(arrivals: list[tuple[int, str, datetime]]) -> list[HistoryEntry]:
    """(version, label, arrived_at) rows → the history, numbered 1.. in version order."""
    ordered = sorted(arrivals, key=lambda row: row[0])
    return [
        HistoryEntry(
            no=no,
            version=version,
            label=label,
            published_at=arrived_at.astimezone(timezone.utc),
            published_at_jst=jst_minute(arrived_at),
        )
        for no, (version, label, arrived_at) in enumerate(ordered, start=1)
    ]
