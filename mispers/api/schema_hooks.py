"""OpenAPI post-processing (drf-spectacular POSTPROCESSING_HOOKS): the schema states the text
limit every request enforces (mispers/api/parsers.py, ADR 0021), so a client knows it before
sending: each string in a request body without a smaller maxLength gets
``maxLength: MISPERS_MAX_TEXT_LENGTH``."""

from django.conf import settings


def _cap_strings(schema, limit: int) -> None:
    if isinstance(schema, list):
        for item in schema:
            _cap_strings(item, limit)
        return
    if not isinstance(schema, dict):
        return
    if (schema.get("type") == "string" and "enum" not in schema and "format" not in schema
            and schema.get("maxLength", limit + 1) > limit):
        schema["maxLength"] = limit
    for key, value in schema.items():
        if key in ("properties", "patternProperties"):
            for prop in value.values():
                _cap_strings(prop, limit)
        elif key in ("items", "additionalProperties", "allOf", "anyOf", "oneOf"):
            _cap_strings(value, limit)


def document_text_limit(result, generator, request, public):
    limit = settings.MISPERS_MAX_TEXT_LENGTH
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _cap_strings(schema, limit)
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                for media in operation.get("requestBody", {}).get("content", {}).values():
                    if "$ref" not in media.get("schema", {}):
                        _cap_strings(media.get("schema"), limit)
    return result
