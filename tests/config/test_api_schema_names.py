"""The API's schemas are named by their class in the OpenAPI document: two different
schemas with one name would leave one of them described wrongly (the board's improvement
actions once shared `ActionOut` with the family plan's actions, and the plan's answer was
checked against the board's shape)."""

from __future__ import annotations

import json
from collections import defaultdict

from ninja import Schema

from jeugdketen.config.api import api


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_no_two_different_api_schemas_share_a_name():
    api.get_openapi_schema()  # every router imported
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("jeugdketen."):
            by_name[cls.__name__].add(json.dumps(cls.model_json_schema(), sort_keys=True))
    assert by_name, "no schemas found"
    assert {name for name, shapes in by_name.items() if len(shapes) > 1} == set()
