"""期間満了 / 解約 as the orderer reads them: the label with its date and the notice above the certificate.
An orderer opening an ended certificate still sees it, every version, with this status prominent."""

from dataclasses import dataclass
from datetime import date, timedelta

from shared.japanese import wareki

LABELS = {"expired": "期間満了", "cancelled": "解約"}


@dataclass(frozen=True)
class Ending:
    status: str  # expired / cancelled
    ended_on: date  # 期間満了日 (the day after 保証期限) / 解約日

    @property
    def label(self) -> str:
        """期間満了（令和8年4月1日） / 解約（令和8年4月1日）."""
        return f"{LABELS[self.status]}（{wareki(self.ended_on)}）"

    @property
    def note(self) -> str:
        if self.status == "expired":
            expiry = wareki(self.ended_on - timedelta(days=1))
            return (
                f"この保証は保証期限（{expiry}）を過ぎたため、{wareki(self.ended_on)}に期間満了となりました。"
                "表示している保証証書は期間満了前の内容です。"
            )
        return f"この保証は{wareki(self.ended_on)}に解約されました。表示している保証証書は解約前の内容です。"
