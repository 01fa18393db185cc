"""Content digest both sides can compare: SHA-256 over canonical JSON of the certificate content."""

import hashlib
import json

from pydantic import BaseModel


def content_digest(content: BaseModel) -> str:
    fields = content.model_dump(mode="json")
    # Fields added after the first release count only when they hold a value: old digests stay valid.
    for name in getattr(content, "ADDED_OPTIONAL", ()):
        if fields.get(name) is None:
            fields.pop(name, None)
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
