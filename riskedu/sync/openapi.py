"""The OpenAPI 3.1 description of ``/api/v1``, generated from the pydantic models that validate requests, so
the published contract is the checked one. It also records what the protocol leaves to the project: each
kind's data, the receipts, the limits."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, Union

from pydantic import BaseModel, Field, create_model
from pydantic.json_schema import models_json_schema

from riskedu.sync.schemas import (
    ACCEPTED_ITEMS,
    MAX_BODY_BYTES,
    MAX_ITEMS,
    NOT_YET_ACCEPTED,
    ClientInfo,
    ErrorBody,
    SyncResponse,
)

REF_TEMPLATE = "#/components/schemas/{model}"
# Paths other packages add under /api/v1 (the reports' photo, status and SMS endpoints), with their models.
EXTRA_PATHS: dict[str, dict[str, Any]] = {}
EXTRA_MODELS: list[type[BaseModel]] = []


def register_paths(paths: Mapping[str, dict[str, Any]], models: tuple[type[BaseModel], ...] = ()) -> None:
    EXTRA_PATHS.update(paths)
    EXTRA_MODELS.extend(model for model in models if model not in EXTRA_MODELS)


def description() -> str:
    not_yet = ", ".join(NOT_YET_ACCEPTED) or "none"
    return f"""\
Phones queue what people create offline and send it here; other systems may speak it too. Delivery is
at-least-once from the client and deduplicated by item id on the server, so every item is stored exactly
once, each in its own transaction.

At most {MAX_ITEMS} items and {MAX_BODY_BYTES} bytes per request. Kinds stored: {", ".join(ACCEPTED_ITEMS)}.
Kinds answered `invalid` for now: {not_yet} (this server does not accept them yet).
Any other kind is answered `invalid` per item; the batch goes on.

Per item status: `stored` (remove it from the outbox, keep the receipt); `duplicate` (stored before with the
same content, compared canonically: same as `stored`, with the first receipt); `conflict` (stored before with
different content: keep it, show "needs attention", never resend silently); `invalid` (keep it, show "needs
attention" with the messages). Receipts are 6 characters without 0, O, 1 or I, shown as `RK7-Q4M`.

Fields a newer client adds to an item's data are ignored and not stored. Times are ISO 8601 with an offset
and may be at most 5 minutes ahead of the server's clock (`server_time` lets the phone correct its own).
Messages in `errors` are in the item's language (its data's `locale`, else the client's).
"""


def sync_request_model() -> type[BaseModel]:
    """The body of POST /api/v1/sync, over every kind registered by now (packages register theirs as they
    are imported, before any request)."""
    kinds = tuple(ACCEPTED_ITEMS.values())
    item = Annotated[Union[kinds], Field(discriminator="kind")]  # noqa: UP007  (a union built at run time)
    return create_model(
        "SyncRequest",
        __doc__="The body of POST /api/v1/sync.",
        client=(ClientInfo, ...),
        items=(
            Annotated[
                list[item],  # type: ignore[valid-type]
                Field(max_length=MAX_ITEMS, description="Unknown kinds are answered `invalid` per item."),
            ],
            ...,
        ),
    )


def _json_error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="ErrorBody")}}},
    }
    if headers:
        response["headers"] = headers
    return response


@cache
def openapi_document() -> dict[str, Any]:
    _, definitions = models_json_schema(
        [
            (sync_request_model(), "validation"),
            (SyncResponse, "serialization"),
            (ErrorBody, "serialization"),
            *((model, "serialization") for model in EXTRA_MODELS),
        ],
        ref_template=REF_TEMPLATE,
    )
    sync_operation = {
        "operationId": "sync",
        "summary": "Send a batch of items made offline",
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="SyncRequest")}}},
        },
        "responses": {
            "200": {
                "description": "One result per item, in request order.",
                "content": {
                    "application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="SyncResponse")}}
                },
            },
            "400": _json_error(
                'The body is not JSON, has no "items" list, or the client description is wrong '
                "(then `errors` names each field)."
            ),
            "413": _json_error(f"More than {MAX_ITEMS} items, or a body over {MAX_BODY_BYTES} bytes."),
            "415": _json_error("The Content-Type is not application/json."),
            "429": _json_error(
                "Too many requests from this address; nothing was stored. Retry after the time given.",
                headers={
                    "Retry-After": {
                        "description": "Seconds to wait before sending again.",
                        "schema": {"type": "integer"},
                    }
                },
            ),
            "500": _json_error(
                "The server failed part-way. Items before the failure are stored; keep everything and resend "
                "the whole batch later with backoff (they will be answered `duplicate`)."
            ),
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "riskedu sync API", "version": "1", "description": description()},
        "paths": {
            "/api/v1/sync": {"post": sync_operation},
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This description",
                    "responses": {"200": {"description": "The OpenAPI 3.1 document."}},
                }
            },
            **EXTRA_PATHS,
        },
        "components": {"schemas": definitions["$defs"]},
    }
