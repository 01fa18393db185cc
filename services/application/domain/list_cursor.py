"""The position in 保証契約一覧 that 次へ / 前へ (and the JSON API's next cursor) carry: the key of the row next
to it, in the list's order (issued_at DESC, contract_number), never an offset, so that contracts arriving
between two pages neither repeat nor hide a row. Opaque to clients: base64url of a small JSON array."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

MAX_LENGTH = 200  # an encoded cursor is about 90 characters
MAX_POSITION = 100_000_000


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    issued_at: datetime  # timezone-aware, to the microsecond, as stored
    contract_number: str
    backwards: bool = False  # 前へ: the rows just before this key, else the rows just after it
    # The No. of the row next to the key (shown on the page only; a guess once rows arrive between pages).
    position: int = 1


def encode(cursor: Cursor) -> str:
    raw = [cursor.issued_at.isoformat(), cursor.contract_number, "prev" if cursor.backwards else "next", cursor.position]
    return base64.urlsafe_b64encode(json.dumps(raw, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(text: str) -> Cursor:
    """The cursor `encode` made; InvalidCursor for anything else (edited, truncated, from another system)."""
    try:
        if len(text) > MAX_LENGTH:
            raise ValueError("too long")
        raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        issued, number, direction, position = raw
        issued_at = datetime.fromisoformat(issued)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor(text) from None
    valid = (
        issued_at.tzinfo is not None
        and isinstance(number, str) and 0 < len(number) <= 40
        and direction in ("next", "prev")
        and isinstance(position, int) and not isinstance(position, bool) and 0 <= position <= MAX_POSITION
    )
    if not valid:
        raise InvalidCursor(text)
    return Cursor(issued_at, number, direction == "prev", position)
