"""`python -m shared.bus.dead_letters list|show|replay|drop`: the operators' command (see the package docstring).

AMQP_URL and BUS_NAMESPACE come from the environment, as for the services (shared.settings.CommonSettings).
Tables for people, `--json` for scripts. Exit 0 when done, 1 when a message could not be replayed or
an --id was not found, 2 for a wrong queue name or an unreachable broker.
"""

import argparse
import asyncio
import base64
import json
import sys
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import aio_pika
from rich.console import Console
from rich.table import Table

from shared.bus.dead_letters.walk import Outcome, QueueMissing, Selection, walk
from shared.bus.topology import CONSUMERS
from shared.japanese import JST
from shared.settings import CommonSettings

PROG = "python -m shared.bus.dead_letters"


class UsageProblem(Exception):
    """A wrong queue name or an unreachable broker: printed, exit 2."""


def dead_letter_queues(settings: CommonSettings) -> list[str]:
    return [f"{consumer.queue_name(settings)}.dlq" for consumer in CONSUMERS]


def resolve_queue(name: str, settings: CommonSettings) -> str:
    """A DLQ of the topology from its full name, or without the namespace and/or the `.dlq` suffix."""
    known = dead_letter_queues(settings)
    wanted = name.strip()
    for candidate in (wanted, f"{wanted}.dlq", f"{settings.bus_namespace}.{wanted}", f"{settings.bus_namespace}.{wanted}.dlq"):
        if candidate in known:
            return candidate
    raise UsageProblem(
        f"キュー {name!r} は名前空間 {settings.bus_namespace!r} の DLQ ではありません。"
        f"例: {known[0].removeprefix(settings.bus_namespace + '.')}（`{PROG} list` で一覧）"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="デッドレター (DLQ) の一覧・表示・再投入・削除")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--json", action="store_true", help="表ではなく JSON で出力する（スクリプト用）")

    listing = commands.add_parser("list", help="DLQ のメッセージを一覧する")
    listing.add_argument("queue", nargs="?", help="DLQ（省略時は名前空間のすべての DLQ）")
    common(listing)
    show = commands.add_parser("show", help="メッセージを 1 件表示する")
    show.add_argument("queue")
    show.add_argument("message_id", help="list の ID（メッセージ ID またはイベント ID）")
    common(show)
    for name, text in (("replay", "選んだメッセージを元のキューに戻す"), ("drop", "選んだメッセージを削除する")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("queue", nargs="?", help="DLQ（省略時は名前空間のすべての DLQ）")
        chosen = sub.add_mutually_exclusive_group(required=True)
        chosen.add_argument("--id", action="append", dest="ids", metavar="ID", help="メッセージ ID またはイベント ID（複数可）")
        chosen.add_argument("--reason", help="理由にこの文字列を含むものすべて")
        chosen.add_argument("--all", action="store_true", help="すべて")
        sub.add_argument("--limit", type=int, help="最大件数")
        sub.add_argument("--dry-run", action="store_true", help="何も変えずに、対象を表示する")
        common(sub)
    return parser


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _when(at: datetime | None) -> str:
    return at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S") if at else "-"


def _short(text: str | None, width: int) -> str:
    text = " ".join((text or "-").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(queue: str, outcomes: list[Outcome], *, with_result: bool) -> Table:
    table = Table(title=f"{queue}（{len(outcomes)} 件）", title_justify="left", show_lines=False)
    for column in ("ID", "イベント種別 (type)", "subject", "理由 (reason)", "DLQ 到着 (JST)", "元のキュー"):
        table.add_column(column, overflow="fold")
    if with_result:
        table.add_column("結果")
    for o in outcomes:
        letter = o.letter
        row = [
            letter.id,
            letter.event_type or "-",
            letter.subject or "-",
            _short(letter.reason, 70),
            _when(letter.dead_lettered_at),
            letter.original_queue,
        ]
        if with_result:
            row.append(o.result + (f": {o.error}" if o.error else ""))
        table.add_row(*row)
    return table


def _body(outcome: Outcome) -> str:
    try:
        return json.dumps(json.loads(outcome.body), ensure_ascii=False, indent=2)
    except (ValueError, UnicodeDecodeError):
        return repr(outcome.body[:4000])


def _show_json(outcome: Outcome) -> dict[str, Any]:
    try:
        body: Any = outcome.body.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        body, encoding = base64.b64encode(outcome.body).decode(), "base64"
    return {
        **outcome.letter.as_json(),
        "properties": _jsonable(outcome.properties),
        "headers": _jsonable(outcome.headers),
        "body": body,
        "body_encoding": encoding,
    }


async def _connect(settings: CommonSettings) -> aio_pika.abc.AbstractConnection:
    try:
        return await asyncio.wait_for(aio_pika.connect(settings.amqp_url), 10)
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        where = urlsplit(settings.amqp_url)
        raise UsageProblem(f"RabbitMQ に接続できません ({where.hostname}:{where.port}, AMQP_URL): {type(exc).__name__}") from None


async def run(args: argparse.Namespace, settings: CommonSettings, out=sys.stdout) -> int:
    queues = [resolve_queue(args.queue, settings)] if args.queue else dead_letter_queues(settings)
    console = Console(file=out, width=None if out.isatty() else 240, no_color=not out.isatty())
    connection = await _connect(settings)
    async with connection:
        if args.command == "show":
            try:
                outcomes = await walk(connection, queues[0])
            except QueueMissing:
                raise UsageProblem(f"{queues[0]} はまだありません（サービスが一度も起動していません）") from None
            found = [o for o in outcomes if args.message_id in {o.letter.id, o.letter.message_id, o.letter.event_id}]
            if not found:
                print(f"{queues[0]} に ID {args.message_id} のメッセージはありません", file=sys.stderr)
                return 1
            if args.json:
                out.write(json.dumps([_show_json(o) for o in found], ensure_ascii=False, indent=2) + "\n")
                return 0
            for o in found:
                for key, value in o.letter.as_json().items():
                    console.print(f"{key}: {value}", markup=False, highlight=False)
                console.print(f"properties: {_jsonable(o.properties)}", markup=False, highlight=False)
                console.print(f"headers: {_jsonable(o.headers)}", markup=False, highlight=False)
                console.print("body:", markup=False)
                console.print(_body(o), markup=False, highlight=False, soft_wrap=True)
            return 0

        action = args.command
        selection = None
        if action != "list":
            selection = Selection(
                ids=frozenset(args.ids or ()), reason=args.reason, everything=args.all, limit=args.limit
            )
        report: list[tuple[str, list[Outcome]]] = []
        absent = []
        for queue in queues:
            try:
                outcomes = await walk(connection, queue, action=action, selection=selection,
                                      dry_run=getattr(args, "dry_run", False))
            except QueueMissing:
                if args.queue:
                    raise UsageProblem(f"{queue} はまだありません（サービスが一度も起動していません）") from None
                absent.append(queue)  # not declared yet: nothing can be in it
                continue
            report.append((queue, outcomes))
        if absent and not report:
            raise UsageProblem(
                f"名前空間 {settings.bus_namespace!r} の DLQ がありません（BUS_NAMESPACE を確認してください）"
            )
    # an --id that matched nothing is worth a non-zero exit: a typo would otherwise look like success
    seen = {key for _, outcomes in report for o in outcomes
            for key in (o.letter.id, o.letter.message_id, o.letter.event_id)}
    missing = sorted(set(selection.ids) - seen) if selection else []
    failed = [o for _, outcomes in report for o in outcomes if o.result == "failed"]
    counts: dict[str, int] = {}
    for _, outcomes in report:
        for o in outcomes:
            counts[o.result] = counts.get(o.result, 0) + 1
    if args.json:
        out.write(json.dumps({
            "namespace": settings.bus_namespace,
            "action": action,
            "dry_run": bool(getattr(args, "dry_run", False)),
            "counts": counts,
            "missing_ids": missing,
            "queues": [
                {"queue": queue, "messages": [{**o.letter.as_json(), "result": o.result, "error": o.error} for o in outcomes]}
                for queue, outcomes in report if outcomes or args.queue
            ],
        }, ensure_ascii=False, indent=2) + "\n")
    else:
        for queue, outcomes in report:
            if outcomes:
                console.print(_table(queue, outcomes, with_result=action != "list"))
        total = sum(len(o) for _, o in report)
        filled = sum(1 for _, o in report if o)
        console.print(f"DLQ {len(report)} 本のうち {filled} 本に {total} 件。", markup=False)
        if action != "list":
            names = {"replayed": "再投入", "dropped": "削除", "would-replay": "再投入予定", "would-drop": "削除予定",
                     "kept": "対象外（DLQ に残る）", "failed": "失敗（DLQ に残る）"}
            console.print("、".join(f"{names.get(k, k)} {v} 件" for k, v in counts.items()) or "対象なし", markup=False)
            if args.dry_run:
                console.print("ドライラン: 何も変更していません。", markup=False)
        if missing:
            print(f"見つからない ID: {', '.join(missing)}", file=sys.stderr)
    return 1 if failed or missing else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return asyncio.run(run(args, CommonSettings()))
    except UsageProblem as exc:
        print(str(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
