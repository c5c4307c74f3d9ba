"""What the admin must do around cancelling E4, beside the gate that says *whether* to cancel.

The gate in :mod:`playbook.verification` decides from data; this checklist states the billing
facts nobody can read from an export (custom domains, the 25-license limit on the older agreement,
who may cancel, the refund window, what happens to data, the seats to drop before renewal).
Each item carries the tag of the Microsoft source it paraphrases, so an admin can check it. Its
words live in :mod:`playbook.messages` (``checklist.*`` keys), in English and Danish.

Source tags (see docs/microsoft-facts.md): S1 "Upgrade from an Office 365 E4 subscription";
S3 Partner Center E4 migration page; S5b "Upgrade to a different plan" (2024); S6 "Move users to a
different subscription"; S8 "Cancel your subscription"; S9 "What if my subscription expires".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from playbook.catalog import SOURCE_PART, Sku
from playbook.messages import message
from playbook.seats import seats_of

MOSA_ONLINE_CANCEL_LIMIT = 25
"""On the older agreement (MOSA) a subscription with more licenses than this can't be cancelled
online: the count must be reduced to 25 or fewer first [S8]."""

MCA_REFUND_DAYS = 7
"""On the newer agreement (MCA) a prorated credit or refund is given only within this many days
after the subscription started or renewed [S8, S5b]."""


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to do or know before cancelling, with the Microsoft source it comes from."""

    code: str
    text: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text, "source": self.source}


@dataclass(frozen=True)
class SourceSeats:
    """What the subscription export says about the E4 subscription (None = not known).

    ``enabled`` and ``consumed`` are pooled over ``subscription_ids`` (``subscribedSkus`` sums
    every subscription of a SKU [S13]); with several ids nobody can tell one subscription's count.
    """

    enabled: int | None = None
    consumed: int | None = None
    subscription_ids: tuple[str, ...] = field(default=(), compare=False)


def source_seats(
    subscriptions: pd.DataFrame | None, source_part: str = SOURCE_PART, source_id: str = ""
) -> SourceSeats:
    """E4's held licences (:attr:`playbook.seats.Seats.held`: enabled + warning) and assigned
    units, summed over its subscriptions.

    Warning units still bill until they lapse, so they count as seats to reduce; suspended and
    locked-out units are not seats.
    """
    if subscriptions is None or subscriptions.empty:
        return SourceSeats()
    seats = seats_of(subscriptions, Sku(source_part, source_id))
    return SourceSeats(enabled=seats.held, consumed=seats.consumed,
                       subscription_ids=seats.subscription_ids)


def cancellation_checklist(
    *,
    agreement: str | None = None,
    purchase_channel: str | None = None,
    custom_domains: tuple[str, ...] = (),
    seats: SourceSeats = SourceSeats(),  # noqa: B008 - frozen, never mutated
    holders: int | None = None,
    source_name: str = "Office 365 E4",
    language: str = "en",
) -> tuple[ChecklistItem, ...]:
    """The checklist shown beside the gate, tailored to what the tenant folder says.

    ``agreement`` is ``mosa`` (older Microsoft Online Subscription Agreement) or ``mca``
    (Microsoft Customer Agreement); ``None`` lists the rules of both. ``holders`` is the number of
    users still holding E4 in the after export, used for the seat-reduction suggestion.
    ``language`` is the tenant's (``en`` or ``da``).
    """
    say = _Say(agreement, language)
    return (
        *_channel_items(purchase_channel, source_name, language),
        _domains_item(custom_domains, language),
        *(_mosa_items(say, seats, source_name) if agreement in (None, "mosa") else ()),
        *(_mca_items(say) if agreement in (None, "mca") else ()),
        _item("DATA_AFTER_CANCEL", "S8", language),
        _seat_reduction(seats, holders, source_name, language),
    )


def _item(code: str, source: str, lang: str, variant: str = "", **values: object,
          ) -> ChecklistItem:
    """One item whose text is the ``checklist.<code>[.<variant>]`` message."""
    key = f"checklist.{code}" + (f".{variant}" if variant else "")
    return ChecklistItem(code, message(key, lang, **values), source)


@dataclass(frozen=True)
class _Say:
    """Words led by the agreement's label when the rules of both agreements are listed."""

    agreement: str | None
    lang: str

    def __call__(self, code: str, source: str, label: str, variant: str = "",
                 **values: object) -> ChecklistItem:
        item = _item(code, source, self.lang, variant, **values)
        if self.agreement is None:
            return ChecklistItem(code, message(f"checklist.label.{label}", self.lang)
                                 + " " + item.text, source)
        return ChecklistItem(code, item.text[:1].upper() + item.text[1:], source)


def _channel_items(purchase_channel: str | None, source_name: str,
                   lang: str) -> tuple[ChecklistItem, ...]:
    """Who cancels when E4 was not bought directly [S3, S1]."""
    if purchase_channel == "partner":
        return (_item("CANCEL_THROUGH_PARTNER", "S3", lang, source_name=source_name),)
    if purchase_channel == "volume-licensing":
        return (_item("CANCEL_THROUGH_ACCOUNT_REP", "S1", lang, source_name=source_name),)
    return ()


def _domains_item(custom_domains: tuple[str, ...], lang: str) -> ChecklistItem:
    """Custom domains added for the subscription go first [S8]."""
    if custom_domains:
        return _item("REMOVE_CUSTOM_DOMAINS", "S8", lang, count=len(custom_domains),
                     domains=list(custom_domains))
    return _item("REMOVE_CUSTOM_DOMAINS", "S8", lang, "none")


def _mosa_items(say: _Say, seats: SourceSeats, source_name: str) -> tuple[ChecklistItem, ...]:
    """The older agreement's rules: role, the 25-license online limit, prorated credit [S8]."""
    items = [say("WHO_MAY_CANCEL_MOSA", "S8", "mosa")]
    if seats.enabled is None or seats.enabled > MOSA_ONLINE_CANCEL_LIMIT:
        items.append(_limit_item(say, seats, source_name))
    items.append(say("PRORATED_CREDIT_MOSA", "S8", "mosa"))
    return tuple(items)


def _limit_item(say: _Say, seats: SourceSeats, source_name: str) -> ChecklistItem:
    """The 25-license online-cancel limit, which is per subscription [S8].

    ``subscribedSkus`` pools every subscription of a SKU [S13]: with several subscription ids
    the pooled count says nothing about any one of them, so the admin is sent to each one's count
    instead of being told to "reduce 40 to 25" (no per-subscription number is invented).
    """
    limit = MOSA_ONLINE_CANCEL_LIMIT
    rule = message("checklist.REDUCE_TO_25_BEFORE_CANCEL", say.lang, limit=limit)
    ids = seats.subscription_ids
    code = "REDUCE_TO_25_BEFORE_CANCEL"
    if len(ids) > 1:
        return say(code, "S8", "mosa", "pooled", source_name=source_name, count=len(ids),
                   ids=list(ids), enabled=seats.enabled, rule=rule)
    if seats.enabled is None:
        return say(code, "S8", "mosa", limit=limit)
    return say(code, "S8", "mosa", "count", source_name=source_name, enabled=seats.enabled,
               rule=rule)


def _mca_items(say: _Say) -> tuple[ChecklistItem, ...]:
    """The newer agreement's rules: who may cancel, the refund window [S8]."""
    return (say("WHO_MAY_CANCEL_MCA", "S8", "mca"),
            say("REFUND_WINDOW_MCA", "S8", "mca", days=MCA_REFUND_DAYS))


def _seat_reduction(seats: SourceSeats, holders: int | None, source_name: str,
                    lang: str) -> ChecklistItem:
    """Suggest dropping unused E4 seats before renewal, so the tenant stops paying for them [S6].

    Over several pooled subscriptions the split is not known [S13]: the reduction is "in all".
    """
    code = "REDUCE_SEATS_BEFORE_RENEWAL"
    still = seats.consumed if seats.consumed is not None else holders
    if seats.enabled is None or still is None:
        return _item(code, "S6", lang, "unknown", source_name=source_name)
    unused = max(seats.enabled - still, 0)
    values = {"source_name": source_name, "enabled": seats.enabled, "still": still,
              "unused": unused, "count": len(seats.subscription_ids)}
    if not unused:
        return _item(code, "S6", lang, "none_unused", **values)
    return _item(code, "S6", lang, "pooled" if len(seats.subscription_ids) > 1 else "", **values)
