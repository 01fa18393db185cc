"""A problem of 申込確認 (path, label, rule, message, severity) and the reader that collects them while
reading the form's values."""

import copy
from dataclasses import dataclass, field
from typing import Any, Callable

from services.application.domain import limits, values
from services.application.domain.messages import label, message
from services.application.domain.values import Invalid

ERROR = "error"  # blocks 送信
WARNING = "warning"  # shown; the contractor acknowledges it to send


@dataclass(frozen=True)
class Problem:
    path: str
    label: str
    rule: str
    message: str
    severity: str = ERROR

    def as_dict(self) -> dict[str, str]:
        return {
            "path": self.path,
            "label": self.label,
            "rule": self.rule,
            "message": self.message,
            "severity": self.severity,
        }


def lookup(form: dict[str, Any], path: str) -> Any:
    value: Any = form
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


@dataclass
class Reader:
    form: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    # The form as entered, except the values rewritten in their converted form (e.g. full-width 預託金融機関).
    normalized: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.normalized = copy.deepcopy(self.form)

    def rewrite(self, path: str, value: Any) -> None:
        *parents, key = path.split(".")
        section = lookup(self.normalized, ".".join(parents)) if parents else self.normalized
        if isinstance(section, dict) and key in section:
            section[key] = value

    def add(self, path: str, rule: str, **fill: str) -> None:
        self.problems.append(Problem(path, label(path), rule, message(rule, path, **fill)))

    def warn(self, path: str, rule: str, **fill: str) -> None:
        self.problems.append(Problem(path, label(path), rule, message(rule, path, **fill), WARNING))

    def section(self, path: str) -> bool:
        """False (with a problem) when the section is there but is not an object."""
        value = lookup(self.form, path)
        if value is None or isinstance(value, dict):
            return True
        self.add(path, "section")
        return False

    def filled(self, path: str) -> bool:
        """Something was entered in the section: a non-blank value other than an unticked false."""
        value = lookup(self.form, path)
        return isinstance(value, dict) and any(not values.is_blank(v) and v is not False for v in value.values())

    def read(
        self, path: str, parse: Callable[[Any], Any], *, required: bool, missing: str = "required", **fill: str
    ) -> Any:
        """The parsed value, or None (with a problem when it is required but blank, or unreadable)."""
        value = lookup(self.form, path)
        if values.is_blank(value):
            if required:
                self.add(path, missing, **fill)
            return None
        try:
            return parse(value)
        except Invalid as exc:
            self.add(path, exc.rule, **exc.values)
            return None

    def text(self, path: str, *, required: bool = False, **kwargs: Any) -> str | None:
        """Free text (printed or mailed): bounded by limits.max_length(path), in the one character policy."""
        reader = values.free_text(limits.max_length(path), multiline=limits.multiline(path))
        return self.read(path, reader, required=required, **kwargs) or None
