"""How the operators' command-line tools take a password without it landing in the shell history or
`ps`: `--password-stdin` (one line from standard input) or, on a terminal, a prompt asked twice.
`--password` remains for old scripts, discouraged in its help.

    add_password_arguments(user_parser, label="パスワード")
    password = read_password(args)   # after parse_args; a usage error (exit 2) when there is none
"""

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TextIO

MESSAGES = {
    "password_help": (
        "{label}（非推奨: シェルの履歴やプロセス一覧に残ります。--password-stdin か端末での入力を使ってください）"
    ),
    "stdin_help": "{label}を標準入力から1行で読む（例: printf '%%s\\n' \"$PW\" | … --password-stdin）",
    "prompt": "{label}: ",
    "confirm": "{label}（確認）: ",
    "missing": "{label}が指定されていません: --password-stdin で標準入力から渡すか、端末で実行して入力してください",
    "empty_stdin": "標準入力から{label}を読めませんでした（空です）",
    "empty_prompt": "{label}が入力されていません",
    "mismatch": "{label}が一致しません（確認の入力と異なります）",
}


def add_password_arguments(
    parser: argparse.ArgumentParser, *, label: str = "パスワード", group: argparse._MutuallyExclusiveGroup | None = None
) -> argparse._MutuallyExclusiveGroup:
    """--password / --password-stdin, mutually exclusive (in `group` if given, e.g. beside --clear)."""
    group = group or parser.add_mutually_exclusive_group()
    group.add_argument("--password", help=MESSAGES["password_help"].format(label=label))
    group.add_argument("--password-stdin", action="store_true", help=MESSAGES["stdin_help"].format(label=label))
    parser.set_defaults(password_parser=parser, password_label=label)
    return group


def read_password(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    prompt: Callable[[str], str] = getpass.getpass,
) -> str:
    """The password from --password, --password-stdin or the terminal (asked twice); otherwise the
    parser's usage error (exit 2) in Japanese. Never echoed, never logged."""
    parser: argparse.ArgumentParser = args.password_parser
    label: str = args.password_label
    if args.password is not None:
        return args.password
    stdin = stdin if stdin is not None else sys.stdin
    if args.password_stdin:
        password = stdin.readline().rstrip("\r\n") if stdin is not None else ""
        if not password:
            parser.error(MESSAGES["empty_stdin"].format(label=label))
        return password
    if not (stdin is not None and stdin.isatty()):
        parser.error(MESSAGES["missing"].format(label=label))
    password = prompt(MESSAGES["prompt"].format(label=label))
    if not password:
        parser.error(MESSAGES["empty_prompt"].format(label=label))
    if prompt(MESSAGES["confirm"].format(label=label)) != password:
        parser.error(MESSAGES["mismatch"].format(label=label))
    return password
