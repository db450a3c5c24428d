"""The schema: errors any request can meet, documented on every operation."""

# Query parameters that never answer 400: a bad page is 404, a bad page size the default.
UNCHECKED_QUERY = {"page", "page_size", "search"}


def document_common_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook. Every operation documents, in the one error
    shape, the errors any request to it can meet whatever its view says: 401 where a token
    is accepted (a wrong or revoked token is refused even on public reads), 404 where the
    path names an object or the list is paged (a page past the end), 400 where it takes
    filters, ordering or a body, and 415 where a body comes in a type it does not read.
    Views document their other errors themselves."""
    if "Error" not in result.get("components", {}).get("schemas", {}):
        return result
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            common = {}
            if any("tokenAuth" in scheme for scheme in operation.get("security", [])):
                common["401"] = "not_authenticated"
            if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
                common["404"] = "not_found"
            if "requestBody" in operation or any(
                p["in"] == "query" and p["name"] not in UNCHECKED_QUERY for p in parameters
            ):
                common["400"] = "validation_error"
            if "requestBody" in operation:
                common["415"] = "unsupported_media_type"
            for code, description in common.items():
                operation["responses"].setdefault(code, {**error, "description": description})
            operation["responses"] = dict(sorted(operation["responses"].items()))
    return result
