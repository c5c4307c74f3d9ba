"""The language an error line is worded in when it is about a tenant folder or a fleet, but
was raised before (or outside) the reading of the tenant.

A Danish admin reads Danish error lines (issue 17) even when the bad input is the command's
own (``--steps``, ``--workers``) or a run record; tenant.yaml is read for its ``language``
only once an error needs wording, so a good run never pays for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from playbook.errors import InputError, speaking
from playbook.messages import LANGUAGES
from playbook.tenant import load_config


def tenant_language(tenant_dir: str | Path | None) -> str:
    """tenant.yaml's ``language``; English without a folder or a readable tenant.yaml (its
    own errors are then the ones to show, in English)."""
    if tenant_dir is None:
        return "en"
    try:
        lang = load_config(Path(tenant_dir) / "tenant.yaml").language
    except (InputError, OSError, UnicodeError):
        return "en"
    return lang if lang in LANGUAGES else "en"


def shared_language(tenant_dirs: Iterable[str | Path]) -> str:
    """The tenants' language when they all share one (a Danish fleet reads Danish), else
    English, the one language every admin was offered."""
    langs = {tenant_language(t) for t in tenant_dirs}
    return langs.pop() if len(langs) == 1 else "en"


def speaking_for(tenant_dirs: Iterable[str | Path]) -> AbstractContextManager[None]:
    """:func:`playbook.errors.speaking` in :func:`shared_language` of these tenants, their
    tenant.yaml files read only when an error passes."""
    dirs = list(tenant_dirs)
    return speaking(lambda: shared_language(dirs))
