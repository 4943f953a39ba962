"""HTTP contracts every service keeps: JSON in, errors in one declared shape, the OpenAPI document true.

- `JsonOnly` (ASGI middleware on all three services): a POST whose body is not `application/json`
  gets 415 before BentoML reads it. That refuses `application/vnd.bentoml+pickle` (unpickling a
  request body runs code), multipart forms (BentoML answered them with a 500) and `text/plain`
  (which a web page may post cross-origin without a CORS preflight).
- `ErrorBody` is the one error shape: BentoML's validation errors (`error` + a `detail` list) and
  ours (`error` alone). `openapi_document` declares it for every 4xx/5xx the APIs can answer;
  `CorrectedOpenApi` serves that document at `/docs.json` instead of BentoML's, whose error
  schemas declare `detail` a string.
"""

import json
from functools import cache
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

JSON_MEDIA_TYPE = "application/json"
DOCS_PATH = "/docs.json"


class ErrorDetail(BaseModel):
    """One validation problem: where (`loc`), what (`msg`) and its kind (`type`)."""

    model_config = ConfigDict(extra="allow")
    type: str
    loc: list[str | int]
    msg: str


class ErrorBody(BaseModel):
    """Every error answer of the agent and the model services."""

    model_config = ConfigDict(extra="forbid")
    error: str
    detail: list[ErrorDetail] = Field(default_factory=list)


def error_response(status: HTTPStatus, message: str) -> JSONResponse:
    """An ErrorBody answer."""
    return JSONResponse(ErrorBody(error=message).model_dump(exclude_defaults=True), status_code=status)


def nullable(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """`schema` or null, in OpenAPI 3.0 terms (no `null` type): a referenced schema is inlined."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    inlined = {**schema, "nullable": True}
    if "enum" in inlined:
        inlined["enum"] = [*inlined["enum"], None]
    return inlined


def nullable_properties(node: Any, schemas: dict[str, Any]) -> None:
    """Everywhere in `node`: a property `X | None` (pydantic's `anyOf: [X, null]`, or the bare `$ref`
    with a null default BentoML leaves) becomes X with `nullable: true`, so answers holding null validate."""
    if isinstance(node, list):
        for item in node:
            nullable_properties(item, schemas)
    if not isinstance(node, dict):
        return
    for value in node.values():
        nullable_properties(value, schemas)
    schema = node
    if isinstance(schema.get("properties"), dict):
        for name, prop in list(schema["properties"].items()):
            if not isinstance(prop, dict):
                continue
            options = [option for option in prop.get("anyOf", []) if option != {"type": "null"}]
            if "$ref" in prop and "default" in prop and prop["default"] is None:
                schema["properties"][name] = nullable({"$ref": prop["$ref"]}, schemas) | {"default": None}
            elif len(options) == 1 and len(prop["anyOf"]) == 2:
                schema["properties"][name] = nullable(options[0], schemas) | {"default": prop.get("default")}


def media_type(scope: Scope) -> str:
    """The request's Content-Type without parameters (charset...), lower-cased; '' when absent."""
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return value.decode("latin-1").split(";")[0].strip().lower()
    return ""


def api_routes(service: Any) -> frozenset[str]:
    """The paths of a BentoML service's APIs."""
    return frozenset(api.route for api in service.apis.values())


class JsonOnly:
    """415 for a POST to one of `routes` whose body is not declared `application/json`."""

    def __init__(self, app: ASGIApp, routes: frozenset[str]) -> None:
        self.app, self.routes = app, routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] in self.routes
            and media_type(scope) != JSON_MEDIA_TYPE
        ):
            found = media_type(scope) or "no Content-Type"
            response = error_response(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"only {JSON_MEDIA_TYPE} request bodies are accepted, not {found}"
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def error_content() -> dict[str, Any]:
    return {JSON_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}


@cache
def openapi_document(service: Any, api_errors: tuple[tuple[int, str], ...]) -> bytes:
    """BentoML's OpenAPI document with the one error schema and every error status the APIs answer."""
    document = service.openapi_spec.asdict()
    schemas = document["components"]["schemas"]
    for name in ("InvalidArgument", "NotFound", "InternalServerError"):
        schemas.pop(name, None)
    body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(body.pop("$defs"))
    schemas["ErrorBody"] = body
    nullable_properties(document, schemas)
    for route in api_routes(service):  # the service's own APIs; mounted apps document themselves
        item = document["paths"][route]
        responses = item["post"]["responses"]
        for status in (400, 404, 500):
            responses.pop(status, None)
            responses.pop(str(status), None)
        for status, description in ((400, "Invalid input: each problem named in `detail`"), *api_errors):
            responses[str(status)] = {"description": description, "content": error_content()}
        item["post"]["requestBody"]["required"] = True
    return json.dumps(document).encode()


class CorrectedOpenApi:
    """Serves `openapi_document(service)` at /docs.json (BentoML's route stays behind it)."""

    def __init__(self, app: ASGIApp, service: Any, api_errors: tuple[tuple[int, str], ...]) -> None:
        self.app, self.service, self.api_errors = app, service, api_errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == DOCS_PATH:
            document = openapi_document(self.service, self.api_errors)
            await Response(document, media_type=JSON_MEDIA_TYPE)(scope, receive, send)
            return
        await self.app(scope, receive, send)
