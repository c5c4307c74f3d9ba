"""The tenant folder: ``tenant.yaml`` (facts no export carries) and the exports beside it.

```
<tenant-dir>/
  tenant.yaml        facts no export carries (keys: TenantConfig's fields)
  users.*            a user export in any supported format, detected by content
  subscriptions.*    a subscription export in any supported format (optional, recommended)
  after/users.*      optional: an export taken after reassignment, for verification
  export.json        optional: where and when ``e4-playbook export`` read the tenant (its
                     ``tenant_id`` is the plan's tenant when tenant.yaml does not name one)
```

``load_tenant`` reads it all once, at the edge, so every rule after it works on plain data.
"""

from __future__ import annotations

import codecs
import dataclasses
import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from playbook import exports
from playbook.catalog import SOURCE_PART, Catalog, is_guid
from playbook.errors import InputError, speaking
from playbook.exports.groups import read_group_names
from playbook.input_files import check_input_file, read_input_bytes
from playbook.messages import Said, message

CHANNELS = ("direct", "partner", "volume-licensing")
PAYMENT_METHODS = ("credit-card", "invoice")
LANGUAGES = ("en", "da")
AGREEMENTS = ("mosa", "mca")


@dataclass(frozen=True)
class TenantConfig:
    """The validated contents of ``tenant.yaml``. Every key is optional but ``name``/``target``.

    Booleans are facts an admin reads off Billing > Your products; they default to false.
    ``trial`` is about the *target*: its subscription is a trial, so users moved onto it lose
    service when the trial ends unless it is paid first (finding ``TARGET_IS_TRIAL``).
    Every key changes a verdict, a count, the plan or the checklist; a key that did not was
    removed (:data:`REMOVED_KEYS`).
    """

    name: str
    target: str = "ENTERPRISEPREMIUM"
    purchase_channel: str = "direct"
    payment_method: str = "credit-card"
    source: str = SOURCE_PART
    trial: bool = False
    prepaid: bool = False
    government_or_nonprofit: bool = False
    unpaid_balance: bool = False
    pending_change: bool = False
    addons: tuple[str, ...] = ()
    exclude_users: tuple[str, ...] = ()
    language: str = "en"
    sku_reference: str | None = None
    # the reassignment plan
    default_usage_location: str | None = None
    reclaim_blocked: bool = False
    max_users: int | None = None
    only_departments: tuple[str, ...] = ()
    only_users: tuple[str, ...] = ()
    batch_size: int = 20
    # cancellation
    agreement: str = "mosa"
    custom_domains: tuple[str, ...] = field(default=())
    # the directory (Entra tenant) id: written into the plan, so ``apply`` refuses a sign-in
    # to another tenant; ``export`` records it in export.json when tenant.yaml does not say it
    tenant_id: str | None = None

    def with_overrides(self, **changes: Any) -> TenantConfig:
        """A copy with some values changed (notebook widgets, CLI flags), validated again."""
        data = dataclasses.asdict(self)
        data.update({k: v for k, v in changes.items() if v is not None})
        return config_from_mapping(data, source=Said("error.where.override"))


_CHOICES: dict[str, tuple[str, ...]] = {
    "purchase_channel": CHANNELS,
    "payment_method": PAYMENT_METHODS,
    "language": LANGUAGES,
    "agreement": AGREEMENTS,
}


REMOVED_KEYS: dict[str, str] = {
    "billing_frequency": "error.tenant.removed.billing-frequency",
}
"""Keys older tenant.yaml files may still have, each with why it was removed (a catalog key:
nothing read ``billing_frequency``, the admin center's cart asks when you buy)."""


def _fields() -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(TenantConfig)}


def stated_language(data: Any) -> str:
    """The language a tenant.yaml mapping names, when it names a valid one, else English.

    Read before the other keys are checked, so a problem with any of them is worded in the
    tenant's language.
    """
    stated = data.get("language") if isinstance(data, dict) else None
    value = str(stated).strip().lower() if stated is not None else ""
    return value if value in LANGUAGES else "en"


def config_from_mapping(data: dict[str, Any],
                        source: str | Path | Said = "tenant.yaml") -> TenantConfig:
    """Validate a mapping into a :class:`TenantConfig`; an unknown key suggests the closest one.
    Problems are worded in the language the mapping names (:func:`stated_language`)."""
    if not isinstance(data, dict):
        raise InputError(source, "error.tenant.not-a-mapping")
    fields = _fields()
    values: dict[str, Any] = {}
    with speaking(stated_language(data)):
        for key, raw in data.items():
            if key in REMOVED_KEYS:
                raise InputError(source, "error.tenant.removed-key", column=str(key), key=key,
                                 why=Said(REMOVED_KEYS[key]))
            if key not in fields:
                raise InputError(source, "error.tenant.unknown-key", column=str(key), key=key,
                                 keys=list(fields),
                                 **_closest(str(key), list(fields), "error.tenant.valid-keys"))
            values[key] = _coerce(key, raw, fields[key], source)
        if not values.get("name"):
            raise InputError(source, "error.tenant.missing-name", column="name")
    return TenantConfig(**values)


def _closest(typed: str, known: list[str], otherwise: str) -> dict[str, Any]:
    """The fix for a mistyped name: "did you mean" the closest known one, else ``otherwise``
    (a fix that lists them all)."""
    close = difflib.get_close_matches(typed, known, n=1)
    return {"fix": "error.tenant.did-you-mean", "close": close[0]} if close else {
        "fix": otherwise}


def _coerce(key: str, raw: Any, f: dataclasses.Field, source: str | Path | Said) -> Any:
    def bad(expect: str) -> InputError:
        return InputError(source, "error.tenant.bad-value", column=key, value=raw, key=key,
                          expect=Said(f"error.tenant.expect.{expect}"))

    kind = str(f.type)
    if raw is None:
        if "None" in kind:
            return None
        if kind.startswith("tuple"):
            return ()
        raise bad("value")
    if key in _CHOICES:
        value = str(raw).strip().lower()
        if value not in _CHOICES[key]:
            raise InputError(source, "error.tenant.not-a-choice", column=key, value=raw, key=key,
                             choices=" | ".join(_CHOICES[key]),
                             **_closest(value, list(_CHOICES[key]), "error.tenant.one-of"))
        return value
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise bad("bool")
    if kind.startswith("int"):
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
            raise bad("whole-number")
        if key == "batch_size" and raw > 20:
            raise InputError(source, "error.tenant.batch-size-too-large", column=key, value=raw)
        return raw
    if kind.startswith("tuple"):
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
            raise bad("text-list")
        clean = tuple(i.strip() for i in items if i.strip())
        if key in ("exclude_users", "only_users"):
            clean = tuple(i.lower() for i in clean)
        return clean
    if key == "tenant_id":
        value = str(raw).strip().lower()
        if not is_guid(value):
            raise bad("tenant-id")
        return value
    if key == "default_usage_location":
        value = str(raw).strip().upper()
        if len(value) != 2 or not value.isalpha():
            raise bad("country")
        return value
    if not isinstance(raw, str | int | float):
        raise bad("text")
    return str(raw).strip()


MAX_YAML_BYTES = 256 * 1024
"""tenant.yaml is a few hundred bytes; anything far larger is not one."""
MAX_YAML_ALIASES = 32
"""YAML aliases (``*name``) tenant.yaml may use: a handful at most; an alias bomb uses many."""
MAX_YAML_DEPTH = 16
"""Nesting tenant.yaml may have (it needs two levels: a mapping of lists)."""


class _YamlRefused(yaml.MarkedYAMLError):
    """A tenant.yaml that is valid YAML but not one the playbook reads: a catalog code (whose
    ``.fix`` says what to do) and the evidence for its text."""

    def __init__(self, code: str, mark: Any, **evidence: Any) -> None:
        super().__init__(problem=message(code, "en", **evidence), problem_mark=mark)
        self.code = code
        self.evidence = evidence


class _TenantYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader with the limits tenant.yaml needs.

    Aliases are counted and nesting is measured while the document is composed, before any
    value is built, so a 330-byte alias bomb (which expands to billions of items once printed
    or walked) stops at once; a key given twice is an error instead of "last one wins".
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise _YamlRefused("error.tenant.yaml-aliases", self.peek_event().start_mark,
                                   limit=MAX_YAML_ALIASES)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _YamlRefused("error.tenant.yaml-too-deep", self.peek_event().start_mark,
                                   limit=MAX_YAML_DEPTH)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise _YamlRefused("error.tenant.yaml-key-not-a-name", key_node.start_mark)
            if key in seen:
                raise _YamlRefused("error.tenant.yaml-key-twice", key_node.start_mark, key=key)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def decode_yaml_bytes(raw: bytes, path: Path) -> str:
    """tenant.yaml's text, whatever Notepad saved it as.

    UTF-8 (with or without BOM) and UTF-16 with a BOM (Notepad's "Unicode") are read as
    such; other bytes that are not UTF-8 are ANSI, Windows' cp1252 in the languages the
    playbook speaks. Bytes none of these can read are refused naming the file.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in raw:  # UTF-16 without a BOM, or a binary file
        encoding = "utf-16-le" if raw[1::2].count(0) > len(raw) // 4 else "utf-16-be"
    else:
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252") if encoding == "utf-8-sig" else None
        except UnicodeDecodeError:
            text = None
    if text is None or "\x00" in text:
        raise InputError(path, "error.tenant.yaml-encoding")
    return text.lstrip("\ufeff")


def load_config(path: str | Path) -> TenantConfig:
    """Read and validate one ``tenant.yaml`` (safe YAML with limits; see
    :class:`_TenantYamlLoader` and :func:`decode_yaml_bytes`)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "error.tenant.yaml-not-found")
    text = decode_yaml_bytes(read_input_bytes(path, max_bytes=MAX_YAML_BYTES,
                                              fix="error.tenant.yaml-where"), path)
    loader = None
    try:
        loader = _TenantYamlLoader(text)  # its reader refuses unprintable characters at once
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        if isinstance(exc, _YamlRefused):
            raise InputError(path, exc.code, row=row, **exc.evidence) from None
        raise InputError(path, "error.tenant.yaml-invalid", row=row,
                         problem=getattr(exc, "problem", None) or str(exc)) from None
    finally:
        if loader is not None:
            loader.dispose()
    return config_from_mapping(data if data is not None else {}, source=path)


@dataclass(frozen=True)
class Tenant:
    """A loaded tenant folder: config, license table, subscriptions and the layered catalog."""

    path: Path
    config: TenantConfig
    licenses: pd.DataFrame
    subscriptions: pd.DataFrame | None
    catalog: Catalog
    users_file: Path
    users_format: str
    subscriptions_file: Path | None = None
    subscriptions_format: str | None = None
    # what reading the exports warned about, worded where shown in config.language
    warnings: tuple[Said, ...] = ()
    # What the users export can show (:class:`playbook.exports.UsersRead`); a hand-built
    # tenant holds full tables, so it claims everything.
    carries_disabled_plans: bool = True
    carries_assignment_states: bool = True
    carries_groups: bool = True
    # Licensing groups' display names by id (groups.json, written by ``e4-playbook export``);
    # empty without it, and pages then show a group by its id.
    group_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.config.name


def find_export(folder: Path, stem: str) -> Path | None:
    """The one ``<stem>.*`` file (or ``<stem>/`` folder of JSON pages) in a folder."""
    hits = sorted(p for p in folder.glob(f"{stem}*") if p.name.split(".")[0] == stem)
    hits = [p for p in hits if not p.name.startswith(".")]
    if len(hits) > 1:
        raise InputError(folder, "error.tenant.several-exports", stem=stem,
                         files=[p.name for p in hits])
    return hits[0] if hits else None


EXPORT_INFO = "export.json"
"""What ``e4-playbook export`` records beside the exports it writes (where, when, tenant id)."""


def with_exported_tenant_id(config: TenantConfig, info_path: Path) -> TenantConfig:
    """``config`` with the tenant id recorded by an export, when tenant.yaml names none.

    A tenant.yaml naming another tenant than the export read is refused: the plan would be
    made for one tenant from another's users.
    """
    if not info_path.is_file():
        return config
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(info_path, "error.tenant.export-info-not-json", problem=exc) from None
    tid = str(info.get("tenant_id") or "").lower() if isinstance(info, dict) else ""
    if not tid:
        return config
    if config.tenant_id and config.tenant_id != tid:
        raise InputError(info_path, "error.tenant.export-other-tenant", column="tenant_id",
                         value=tid, tenant_id=config.tenant_id)
    return config if config.tenant_id else config.with_overrides(tenant_id=tid)


def load_tenant(
    tenant_dir: str | Path,
    *,
    users: str | Path | None = None,
    sku_reference: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> Tenant:
    """Read a tenant folder: ``tenant.yaml``, subscriptions (if any), then users.

    Subscriptions are read before users because the tenant's own SKUs are the catalog's top
    layer, which the users reader needs to name licenses; Microsoft's table (when given) is
    read before both, to check each subscription's skuId against its part number.
    """
    folder = Path(tenant_dir)
    if not folder.is_dir():
        raise InputError(folder, "error.tenant.folder-not-found")
    config = load_config(folder / "tenant.yaml")
    if overrides:
        config = config.with_overrides(**overrides)
    with speaking(config.language):  # from here on, bad input reads in the tenant's language
        return _read_folder(folder, with_exported_tenant_id(config, folder / EXPORT_INFO),
                            users=users, sku_reference=sku_reference)


def _read_folder(folder: Path, config: TenantConfig, *, users: str | Path | None,
                 sku_reference: str | Path | None) -> Tenant:
    """:func:`load_tenant` once tenant.yaml is read: the reference table, the exports (in
    that order, see there) and groups.json."""
    reference = _reference_table(folder, sku_reference or config.sku_reference,
                                 relative_to_folder=not sku_reference)
    subs_path = find_export(folder, "subscriptions")
    subs = subs_format = None
    builtin = Catalog.builtin()  # read once for both layerings
    if subs_path is not None:  # its id/part-number pairs checked against Microsoft's names
        subs, subs_format = exports.read_subscriptions(
            subs_path, Catalog.layered(reference, builtin))
    tenant_layer = Catalog.from_subscriptions(subs) if subs is not None else None
    catalog = Catalog.layered(tenant_layer, reference, builtin)

    users_path = Path(users) if users else find_export(folder, "users")
    if users_path is None:
        raise InputError(folder, "error.tenant.no-users-export")
    result = exports.read_users(users_path, catalog)
    if catalog.resolve(config.target) is None:
        raise InputError(folder / "tenant.yaml", "error.tenant.unknown-target", column="target",
                         value=config.target, targets=[s.part_number for s in catalog.targets])
    return Tenant(
        path=folder,
        config=config,
        licenses=result.table,
        subscriptions=subs,
        catalog=catalog,
        users_file=users_path,
        users_format=result.format,
        subscriptions_file=subs_path,
        subscriptions_format=subs_format,
        warnings=tuple(result.warnings),
        carries_disabled_plans=result.carries_disabled_plans,
        carries_assignment_states=result.carries_assignment_states,
        carries_groups=result.carries_groups,
        group_names=read_group_names(groups) if (groups := folder / "groups.json").exists()
        else {},
    )


def _reference_table(folder: Path, ref: str | Path | None, *,
                     relative_to_folder: bool) -> Catalog | None:
    """Microsoft's product reference table when one is named: tenant.yaml's path is relative
    to the tenant folder, a ``--sku-reference`` to the shell's folder."""
    if not ref:
        return None
    ref_path = Path(ref)
    if not ref_path.is_absolute() and relative_to_folder:
        ref_path = folder / ref_path
    return Catalog.from_reference_csv(check_input_file(
        ref_path, fix="error.tenant.reference-where"))
