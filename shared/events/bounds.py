"""Bounds every service applies to the figures it exchanges, so that none accepts what another cannot store.

MAX_YEN: the ceiling of any amount (請負金額, 保証金額, 入札金額 …), 9,999億9,999万9,999円 — above the
largest public-works contracts (a few thousand 億円) and far below PostgreSQL's bigint, which every
read model uses. The application form refuses more (申込確認), and so does every event model.
"""

from typing import Annotated

from pydantic import Field

MAX_YEN = 999_999_999_999
MAX_THOUSAND_YEN = MAX_YEN // 1000
MAX_COUNT = 9_999  # 入札回数, 参加者数, 失格者数

Yen = Annotated[int, Field(ge=0, le=MAX_YEN)]
ThousandYen = Annotated[int, Field(ge=0, le=MAX_THOUSAND_YEN)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
