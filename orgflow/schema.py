"""The JSON Schema of the org file, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://orgflow.dev/schema/org-v1.json"


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``version: 1`` org files."""
    from orgflow.model import Org

    schema = Org.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "orgflow org file"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2) + "\n"
