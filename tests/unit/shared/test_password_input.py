"""Operators' CLIs take a password from stdin or a terminal prompt, not only the command line."""

import argparse
import io

import pytest

from shared.password_input import add_password_arguments, read_password


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def parser(label: str = "パスワード") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cli create-user")
    add_password_arguments(parser, label=label)
    return parser


def answers(*typed: str):
    asked: list[str] = []
    typed_in = iter(typed)

    def prompt(text: str) -> str:
        asked.append(text)
        return next(typed_in)

    return prompt, asked


def refused(capsys, argv: list[str], stdin, prompt=None, label: str = "パスワード") -> str:
    args = parser(label).parse_args(argv)
    with pytest.raises(SystemExit) as caught:
        read_password(args, stdin=stdin, **({"prompt": prompt} if prompt else {}))
    assert caught.value.code == 2
    return capsys.readouterr().err


def test_password_on_the_command_line_still_works_and_is_discouraged_in_the_help():
    assert read_password(parser().parse_args(["--password", "pw-1"]), stdin=io.StringIO()) == "pw-1"
    help_text = parser().format_help()
    assert "非推奨" in help_text and "--password-stdin" in help_text


def test_password_stdin_reads_one_line_without_its_line_end():
    args = parser().parse_args(["--password-stdin"])
    assert read_password(args, stdin=io.StringIO("pass word\r\nnext line\n")) == "pass word"


def test_password_and_password_stdin_are_mutually_exclusive(capsys):
    with pytest.raises(SystemExit) as caught:
        parser().parse_args(["--password", "x", "--password-stdin"])
    assert caught.value.code == 2


def test_an_empty_stdin_is_a_usage_error(capsys):
    err = refused(capsys, ["--password-stdin"], io.StringIO(""))
    assert "標準入力からパスワードを読めませんでした（空です）" in err


def test_no_password_and_no_terminal_is_a_usage_error_in_japanese(capsys):
    def never(text: str) -> str:
        raise AssertionError("must not prompt without a terminal")

    err = refused(capsys, [], io.StringIO("ignored\n"), prompt=never, label="送信パスワード")
    assert (
        "送信パスワードが指定されていません: --password-stdin で標準入力から渡すか、端末で実行して入力してください"
    ) in err
    assert "usage: cli create-user" in err


def test_on_a_terminal_it_asks_twice():
    prompt, asked = answers("secret-1", "secret-1")
    assert read_password(parser().parse_args([]), stdin=Terminal(), prompt=prompt) == "secret-1"
    assert asked == ["パスワード: ", "パスワード（確認）: "]


def test_a_confirmation_that_differs_is_refused(capsys):
    prompt, _ = answers("secret-1", "secret-2")
    assert "パスワードが一致しません" in refused(capsys, [], Terminal(), prompt=prompt)


def test_an_empty_answer_is_refused_before_the_confirmation(capsys):
    prompt, asked = answers("")
    assert "パスワードが入力されていません" in refused(capsys, [], Terminal(), prompt=prompt)
    assert asked == ["パスワード: "]
