"""Sign-in with msal: device code for a person, a certificate for unattended runs.

The token lives in a :class:`Token` whose ``repr`` and ``str`` hide it: it is never printed,
logged or written. Its ``tid`` claim (the directory it was issued for) is read without
verifying the signature: Graph verifies it; the tool only needs to refuse a token of another
tenant before it sends anything.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playbook.deferred import DeferredModule
from playbook.errors import InputError
from playbook.graph.endpoint import Endpoint
from playbook.messages import Said, message

msal = DeferredModule("msal")
"""Microsoft's sign-in library, imported on the first sign-in (it costs every command
about 0.05 s to import)."""

GRAPH_RESOURCE = "https://graph.microsoft.com"
READ_SCOPES: tuple[str, ...] = (
    "User.Read.All", "GroupMember.Read.All", "LicenseAssignment.Read.All",
)
"""Least privilege for ``export``: users, group members, subscribedSkus."""
WRITE_SCOPES: tuple[str, ...] = READ_SCOPES + ("LicenseAssignment.ReadWrite.All",)
"""``apply``: licence writes on users and groups."""
USAGE_LOCATION_SCOPE = "User.ReadWrite.All"
"""Only when the plan sets a usage location (a PATCH of the user)."""
PUBLIC_CLIENT_ID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
"""Microsoft Graph Command Line Tools: the public client admins already consent to for
``Connect-MgGraph``; ``--client-id`` names the tenant's own app registration instead."""
CERTIFICATE_SIGN_IN = Said("error.where.certificate-sign-in")
DEVICE_CODE_SIGN_IN = Said("error.where.device-code-sign-in")
"""Where a failed sign-in says it failed (the line starts with it)."""


@dataclass(frozen=True)
class Token:
    """A bearer token; shown as ``Token(***)`` wherever it might be printed."""

    value: str = field(repr=False)
    app: str = ""
    """The client id that obtained it ("static" for the test hook): for the journal."""

    def __repr__(self) -> str:
        return f"Token(***, app={self.app!r})"

    __str__ = __repr__

    @property
    def tid(self) -> str:
        """The ``tid`` claim when the token is a JWT, else "" (then ask ``/organization``)."""
        parts = self.value.split(".")
        if len(parts) != 3:
            return ""
        try:
            padded = parts[1] + "=" * (-len(parts[1]) % 4)
            claims = json.loads(base64.urlsafe_b64decode(padded))
        except (ValueError, UnicodeDecodeError):
            return ""
        return str(claims.get("tid", "")).lower() if isinstance(claims, dict) else ""


@dataclass(frozen=True)
class SignIn:
    """How to sign in: device code (default) or a certificate (``certificate`` set)."""

    client_id: str = PUBLIC_CLIENT_ID
    tenant: str = "organizations"
    """Authority tenant: a tenant id or domain; "organizations" for any work account."""
    certificate: Path | None = None
    """PEM file with the private key (unattended runs; needs ``thumbprint``)."""
    thumbprint: str = ""


def _scopes(scopes: tuple[str, ...]) -> list[str]:
    return [f"{GRAPH_RESOURCE}/{s}" for s in scopes]


def _checked(result: dict, how: Said) -> str:
    """The access token of an msal result, or a one-line refusal with msal's reason."""
    if "access_token" not in result:
        reason = result.get("error_description") or result.get("error") or "no token"
        raise InputError(how, "error.graph.sign-in-failed", reason=str(reason).splitlines()[0])
    return str(result["access_token"])


def device_code_text(flow: dict, lang: str) -> str:
    """The device-code instructions: Microsoft's own (English) message, or the same page and
    code worded in ``lang`` for a tenant that reads another language."""
    if lang == "en" or "verification_uri" not in flow:
        return str(flow["message"])
    return message("apply.device_code", lang, url=flow["verification_uri"],
                   user_code=flow["user_code"])


def acquire_token(endpoint: Endpoint, sign_in: SignIn, scopes: tuple[str, ...],
                  show: Callable[[str], None], lang: str = "en") -> Token:
    """A token for ``scopes``: the endpoint's static test token, a certificate's app-only
    token, or a device-code sign-in whose instructions go to ``show`` (the terminal or the
    notebook page), in ``lang``."""
    if endpoint.static_token:
        return Token(endpoint.static_token, app="static")
    authority = f"https://login.microsoftonline.com/{sign_in.tenant}"
    if sign_in.certificate is not None:
        if sign_in.tenant == "organizations" or not sign_in.thumbprint:
            raise InputError("--certificate", "error.graph.certificate-needs-tenant")
        try:
            key = Path(sign_in.certificate).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(sign_in.certificate, "error.graph.certificate-unreadable",
                             problem=str(exc)) from None
        app = msal.ConfidentialClientApplication(
            sign_in.client_id, authority=authority,
            client_credential={"private_key": key, "thumbprint": sign_in.thumbprint})
        result = app.acquire_token_for_client(scopes=[f"{GRAPH_RESOURCE}/.default"])
        return Token(_checked(result, CERTIFICATE_SIGN_IN), app=sign_in.client_id)
    public = msal.PublicClientApplication(sign_in.client_id, authority=authority)
    flow = public.initiate_device_flow(scopes=_scopes(scopes))
    if "user_code" not in flow:
        _checked(flow, DEVICE_CODE_SIGN_IN)
    show(device_code_text(flow, lang))
    result = public.acquire_token_by_device_flow(flow)
    return Token(_checked(result, DEVICE_CODE_SIGN_IN), app=sign_in.client_id)
