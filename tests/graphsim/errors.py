"""Graph's error answers: status, code and message, in the shape Graph sends them.

Shape (learn.microsoft.com/graph/errors)::

    {"error": {"code": "Request_BadRequest", "message": "...",
               "innerError": {"request-id": "...", "date": "...", "client-request-id": "..."}}}

The codes and messages of licence assignment are those Graph gives (sources in
``shared/docs/graph-apply.md``: user-assignlicense, msgraph-sdk-powershell #3229/#3286/#3361,
CIPP #783/#4090, Partner-Center-DotNet-Samples #131).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class GraphError(Exception):
    """A request Graph refuses; raised by the model, turned into an answer by the service."""

    status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"


def bad_request(message: str) -> GraphError:
    """400 ``Request_BadRequest``: what directory writes answer when a rule is broken."""
    return GraphError(400, "Request_BadRequest", message)


def not_found(ref: str) -> GraphError:
    """404 for a user or group that does not exist (Graph's directory wording)."""
    return GraphError(404, "Request_ResourceNotFound",
                      f"Resource '{ref}' does not exist or one of its queried reference-property "
                      "objects are not present.")


MISSING_PARAMETERS = ("One or more parameters of the operation 'assignLicense' are missing from "
                      "the request payload. The missing parameters are: {names}.")
NO_CHANGES = ("No license changes provided. At least one license to add or remove must be "
              "specified.")
INVALID_USAGE_LOCATION = "License assignment cannot be done for user with invalid usage location."
INHERITED = ("User license is inherited from group membership and cannot be removed directly "
             "from the user.")
NOT_HELD = "User does not have a corresponding license."
NO_SEATS = "Subscription with SKU {sku} does not have any available licenses."
UNKNOWN_SKU = "License {sku} does not correspond to a valid company License."
PLAN_NOT_IN_SKU = "Service plan {plan} does not belong to license {sku}."
