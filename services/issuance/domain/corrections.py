"""訂正 and 変更取消: what surety staff may do to an issued version, and the corrected content.

- 訂正 corrects an error in a shown version of an electronic guarantee without a new 変更 number: a few
  fields of its content, each checked as the application form checks it (the same maximum lengths as
  services/application/domain/limits.py, the same character policy, amounts within 1..MAX_YEN). The 証書の
  日付 stays the version's own: a correction does not re-date the guarantee. Any shown version may be
  corrected (a 新規 with a later 変更 too: the 変更's own content is untouched; correct it as well if needed).
- 変更取消 withdraws the latest shown 変更-N (never 新規: ending a guarantee is 解約); the version before it
  is in force again, and the next change takes a new number (numbers are never reused).

A paper certificate (証書(紙)) is corrected by issuing a corrected paper original, outside this tool.
"""

from dataclasses import dataclass
from datetime import date
from typing import Callable

from pydantic import ValidationError

from services.issuance.domain.content import version_label
from shared.events import CertificateContent
from shared.events.bounds import MAX_YEN
from shared.text_policy import TextRefused, checked

MAX_REASON = 500


class CorrectionRefused(Exception):
    """What staff asked cannot be done; the message (Japanese) says why."""


def _text(label: str, limit: int) -> Callable[[str], str]:
    return lambda raw: checked(label, raw, limit)


def _optional_text(label: str, limit: int) -> Callable[[str], str | None]:
    return lambda raw: checked(label, raw, limit) if raw.strip() else None


def _date(label: str) -> Callable[[str], date]:
    def parse(raw: str) -> date:
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            raise CorrectionRefused(f"{label}は YYYY-MM-DD の形式で入力してください（{raw!r}）") from None

    return parse


def _yen(label: str) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        digits = raw.strip().replace(",", "")
        if not digits.isdigit() or not 1 <= int(digits) <= MAX_YEN:
            raise CorrectionRefused(f"{label}は1円以上{MAX_YEN:,}円以下の整数で入力してください（{raw!r}）")
        return int(digits)

    return parse


@dataclass(frozen=True)
class Field:
    path: tuple[str, ...]  # where in CertificateContent
    label: str
    parse: Callable[[str], object]


# What a 訂正 may change, by the name staff type (--set NAME=VALUE).
CORRECTABLE: dict[str, Field] = {
    "construction_name": Field(("construction_name",), "工事名", _text("工事名", 100)),
    "jv_name": Field(("jv_name",), "共同企業体名", _optional_text("共同企業体名", 60)),
    "depository": Field(("depository",), "預託金融機関", _optional_text("預託金融機関", 40)),
    "contractor_name": Field(("contractor", "name"), "保証契約者名", _text("保証契約者名", 60)),
    "contractor_address": Field(("contractor", "address"), "保証契約者の住所", _text("保証契約者の住所", 120)),
    "obligee_name": Field(("obligee", "name"), "被保証者", _text("被保証者", 60)),
    "guaranteed_amount": Field(("guaranteed_amount",), "保証金額", _yen("保証金額")),
    "contract_amount": Field(("contract_amount",), "請負金額", _yen("請負金額")),
    "period_start": Field(("period_start",), "工期（自）", _date("工期（自）")),
    "period_end": Field(("period_end",), "工期（至）", _date("工期（至）")),
    "contract_date": Field(("contract_date",), "請負契約日", _date("請負契約日")),
    "guarantee_expiry": Field(("guarantee_expiry",), "保証期限", _date("保証期限")),
}


def parse_changes(assignments: list[str]) -> dict[str, object]:
    """['construction_name=…', …] → {name: value}, each parsed and checked; CorrectionRefused otherwise."""
    if not assignments:
        raise CorrectionRefused("訂正する項目を --set 項目名=値 で指定してください（項目名: " + ", ".join(CORRECTABLE) + "）")
    changes: dict[str, object] = {}
    for assignment in assignments:
        name, sep, raw = assignment.partition("=")
        field = CORRECTABLE.get(name.strip())
        if not sep or field is None:
            raise CorrectionRefused(
                f"{assignment!r} は訂正できる項目ではありません（項目名=値。項目名: " + ", ".join(CORRECTABLE) + "）"
            )
        if name.strip() in changes:
            raise CorrectionRefused(f"{field.label}が2回指定されています")
        try:
            changes[name.strip()] = field.parse(raw)
        except TextRefused as exc:
            raise CorrectionRefused(str(exc)) from None
    return changes


def checked_reason(reason: str) -> str:
    try:
        return checked("理由", reason, MAX_REASON, multiline=True)
    except TextRefused as exc:
        raise CorrectionRefused(str(exc)) from None


def checked_by(name: str) -> str:
    try:
        return checked("担当者名", name, 60)
    except TextRefused as exc:
        raise CorrectionRefused(str(exc)) from None


def corrected(content: CertificateContent, changes: dict[str, object]) -> CertificateContent:
    """The content with the changes (same number, version and 証書の日付); CorrectionRefused when nothing
    would change or the result is not a consistent certificate."""
    data = content.model_dump(mode="python")
    for name, value in changes.items():
        *parents, leaf = CORRECTABLE[name].path
        target = data
        for key in parents:
            target = target[key]
        target[leaf] = value
    try:
        result = CertificateContent.model_validate(data)
    except ValidationError as exc:
        raise CorrectionRefused(f"訂正後の内容が証書として正しくありません: {exc.errors()[0]['msg']}") from None
    if result == content:
        raise CorrectionRefused("訂正後の内容が現在の内容と同じです（訂正する値を確かめてください）")
    if result.period_start > result.period_end:
        raise CorrectionRefused("工期（自）は工期（至）以前の日付にしてください")
    return result


def judge_correction(content: CertificateContent, shown: list[int], version: int) -> None:
    label = version_label(version)
    if not content.electronic:
        raise CorrectionRefused("証書(紙)の保証は、訂正した証書を紙で発行し直してください（このコマンドでは訂正できません）")
    if version not in shown:
        raise CorrectionRefused(f"{content.contract_number} に表示中の{label}はありません（取り消された変更は訂正できません）")


def judge_withdrawal(contract_number: str, shown: list[int], version: int, *, electronic: bool) -> int:
    """The version in force after withdrawing `version`; CorrectionRefused when it cannot be withdrawn."""
    if not electronic:
        raise CorrectionRefused("証書(紙)の保証の変更取消は、紙の手続きで行ってください（このコマンドでは取り消せません）")
    if version == 0:
        raise CorrectionRefused("新規は変更取消できません（保証をやめるときは解約の手続きです）")
    if not shown or version != shown[-1]:
        latest = version_label(shown[-1]) if shown else "なし"
        raise CorrectionRefused(
            f"{contract_number} の変更取消ができるのは最新の変更だけです（最新は{latest}、指定は{version_label(version)}）"
        )
    return shown[-2]
