"""Content digest both sides can compare: SHA-256 over canonical JSON of the certificate content."""

import hashlib
import json

from pydantic import BaseModel


def content_digest(content: BaseModel) -> str:
    canonical = json.dumps(content.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
