"""``/api-docs``: a browsable page of the JSON API, served from this app alone.

FastAPI's Swagger UI and ReDoc load their scripts from a CDN, which an
offline newsroom machine cannot reach and the Content-Security-Policy
forbids. This page is rendered on the server from ``/openapi.json``: every
operation with its parameters, request body and response schema, and for
the GET operations a plain HTML form that calls them (no script needed: a
path parameter is filled in by ``/api-docs/try``, which redirects).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from whosaid.web.state import state

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(spec: dict[str, Any], schema: dict[str, Any] | None) -> dict[str, Any]:
    if schema and "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return {"name": name, **spec.get("components", {}).get("schemas", {}).get(name, {})}
    return schema or {}


def _shape(spec: dict[str, Any], schema: dict[str, Any] | None, depth: int = 0) -> str:
    """A short, readable rendering of a JSON schema (field: type, nested two levels)."""
    schema = _resolve(spec, schema)
    if not schema:
        return ""
    if "anyOf" in schema:
        return " | ".join(_shape(spec, s, depth) or "null" for s in schema["anyOf"])
    kind = schema.get("type")
    if kind == "array":
        return f"[{_shape(spec, schema.get('items'), depth)}]"
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        if not props or depth >= 2:
            return schema.get("name", "object")
        inner = ", ".join(f"{k}: {_shape(spec, v, depth + 1) or 'any'}"
                          for k, v in props.items())
        return "{" + inner + "}"
    if "enum" in schema:
        return " | ".join(json.dumps(v) for v in schema["enum"])
    return str(kind or schema.get("name", "any"))


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the OpenAPI document, in path order, ready for the template."""
    out = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": _shape(spec, p.get("schema")),
                       "description": p.get("description") or
                       (p.get("schema") or {}).get("description", "")}
                      for p in op.get("parameters", [])]
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json")
            responses = []
            for status, resp in op.get("responses", {}).items():
                content = resp.get("content") or {}
                types = [(media, _shape(spec, c.get("schema"))) for media, c in content.items()]
                responses.append({"status": status, "description": resp.get("description", ""),
                                  "types": types})
            out.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "params": params,
                        "body": _shape(spec, body.get("schema")) if body else "",
                        "responses": responses, "id": f"{method}-{path}".replace("/", "-")
                        .replace("{", "").replace("}", "")})
    return out


@router.get("/api-docs")
def api_docs(request: Request) -> Response:
    spec = request.app.openapi()
    web = state(request)
    return web.templates.TemplateResponse(request, "api.html", {
        "info": spec.get("info", {}), "ops": operations(spec), "writable": bool(web.token)})


@router.get("/api-docs/try")
def try_operation(request: Request, path: str) -> Response:
    """Fill the path parameters of a GET operation from the form, then go there."""
    spec = request.app.openapi()
    if "get" not in spec.get("paths", {}).get(path, {}):
        raise HTTPException(404, f"path: no GET operation {path!r}")
    params = {k: v for k, v in request.query_params.items() if k != "path" and v != ""}
    url = path
    for name in [p["name"] for p in spec["paths"][path]["get"].get("parameters", [])
                 if p["in"] == "path"]:
        if name not in params:
            raise HTTPException(422, f"{name}: required")
        url = url.replace("{" + name + "}", quote(params.pop(name), safe=""))
    return RedirectResponse(url + (f"?{urlencode(params)}" if params else ""), status_code=303)
