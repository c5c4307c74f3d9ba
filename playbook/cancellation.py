"""What the admin must do around cancelling E4, beside the gate that says *whether* to cancel.

The gate in :mod:`playbook.verification` decides from data; this checklist states the billing
facts nobody can read from an export (custom domains, the 25-license limit on the older agreement,
who may cancel, the refund window, what happens to data, the seats to drop before renewal).
Each item carries the tag of the Microsoft source it paraphrases, so an admin can check it.

Source tags (see docs/microsoft-facts.md): S1 "Upgrade from an Office 365 E4 subscription";
S3 Partner Center E4 migration page; S5b "Upgrade to a different plan" (2024); S6 "Move users to a
different subscription"; S8 "Cancel your subscription"; S9 "What if my subscription expires".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from playbook.catalog import SOURCE_PART, Sku
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
) -> tuple[ChecklistItem, ...]:
    """The checklist shown beside the gate, tailored to what the tenant folder says.

    ``agreement`` is ``mosa`` (older Microsoft Online Subscription Agreement) or ``mca``
    (Microsoft Customer Agreement); ``None`` lists the rules of both. ``holders`` is the number of
    users still holding E4 in the after export, used for the seat-reduction suggestion.
    """
    return (
        *_channel_items(purchase_channel, source_name),
        _domains_item(custom_domains),
        *(_mosa_items(agreement, seats, source_name) if agreement in (None, "mosa") else ()),
        *(_mca_items(agreement) if agreement in (None, "mca") else ()),
        _DATA_AFTER_CANCEL,
        _seat_reduction(seats, holders, source_name),
    )


def _channel_items(purchase_channel: str | None, source_name: str) -> tuple[ChecklistItem, ...]:
    """Who cancels when E4 was not bought directly [S3, S1]."""
    if purchase_channel == "partner":
        return (ChecklistItem(
            "CANCEL_THROUGH_PARTNER",
            f"{source_name} was bought through a partner: the partner cancels it (in Partner "
            "Center the subscription is set to Suspended and is de-provisioned after 120 days).",
            "S3",
        ),)
    if purchase_channel == "volume-licensing":
        return (ChecklistItem(
            "CANCEL_THROUGH_ACCOUNT_REP",
            f"{source_name} was bought through Volume Licensing: ask your Microsoft account "
            "representative to end it; the admin center cannot cancel it.",
            "S1",
        ),)
    return ()


def _domains_item(custom_domains: tuple[str, ...]) -> ChecklistItem:
    """Custom domains added for the subscription go first [S8]."""
    if custom_domains:
        return ChecklistItem(
            "REMOVE_CUSTOM_DOMAINS",
            "Remove the custom domain(s) added for this subscription before cancelling: "
            + ", ".join(custom_domains) + ".",
            "S8",
        )
    return ChecklistItem(
        "REMOVE_CUSTOM_DOMAINS",
        "If a custom domain was added for this subscription, remove it before cancelling "
        "(tenant.yaml lists none under custom_domains).",
        "S8",
    )


def _mosa_items(agreement: str | None, seats: SourceSeats,
                source_name: str) -> tuple[ChecklistItem, ...]:
    """The older agreement's rules: role, the 25-license online limit, prorated credit [S8]."""
    items = [ChecklistItem(
        "WHO_MAY_CANCEL_MOSA",
        _say(agreement, MOSA, "cancelling needs at least the Billing Administrator role."),
        "S8",
    )]
    if seats.enabled is None or seats.enabled > MOSA_ONLINE_CANCEL_LIMIT:
        items.append(ChecklistItem(
            "REDUCE_TO_25_BEFORE_CANCEL", _limit_text(agreement, seats, source_name), "S8"))
    items.append(ChecklistItem(
        "PRORATED_CREDIT_MOSA",
        _say(agreement, MOSA, "cancelling after the start or renewal date gives a prorated "
             "credit on the next invoice or billing cycle."),
        "S8",
    ))
    return tuple(items)


def _limit_text(agreement: str | None, seats: SourceSeats, source_name: str) -> str:
    """The 25-license online-cancel limit, which is per subscription [S8].

    ``subscribedSkus`` pools every subscription of a SKU: with several subscription ids the
    pooled count says nothing about any one of them, so the admin is sent to each one's count
    instead of being told to "reduce 40 to 25" (no per-subscription number is invented).
    """
    limit = MOSA_ONLINE_CANCEL_LIMIT
    rule = (f"a subscription with more than {limit} licenses can't be cancelled online; reduce "
            f"it to {limit} or fewer first (if you can't, turn off recurring billing instead).")
    ids = seats.subscription_ids
    if len(ids) > 1:
        return _say(agreement, MOSA,
                    f"{source_name} is bought in {len(ids)} subscriptions ({', '.join(ids)}), "
                    f"with {seats.enabled} licenses in all; the export pools them and cannot "
                    f"tell each one's count. The limit applies to each subscription: {rule} "
                    "Check each subscription's license count in Billing > Your products.")
    if seats.enabled is None:
        return _say(agreement, MOSA, rule)
    return _say(agreement, MOSA, f"{source_name} has {seats.enabled} licenses: {rule}")


def _mca_items(agreement: str | None) -> tuple[ChecklistItem, ...]:
    """The newer agreement's rules: who may cancel, the refund window [S8]."""
    return (
        ChecklistItem(
            "WHO_MAY_CANCEL_MCA",
            _say(agreement, MCA, "cancelling needs a Billing account owner or contributor, or a "
                 "Billing profile owner or contributor."),
            "S8",
        ),
        ChecklistItem(
            "REFUND_WINDOW_MCA",
            _say(agreement, MCA, "a prorated credit or refund is given only when you cancel "
                 f"within {MCA_REFUND_DAYS} days after the subscription started or renewed; "
                 "later, turn off recurring billing instead (access continues to the end of the "
                 "term)."),
            "S8",
        ),
    )


_DATA_AFTER_CANCEL = ChecklistItem(
    "DATA_AFTER_CANCEL",
    "After cancelling, the subscription is Disabled with reduced functionality; data tied to "
    "it may be deleted after 30 days and is deleted no later than 180 days after "
    "cancellation. Warn anyone still relying on it to save their data first, and never "
    "delete the subscription explicitly: that removes SharePoint and OneDrive content at once.",
    "S8",
)


MOSA = "Older agreement (MOSA): "
MCA = "Newer agreement (MCA): "


def _say(agreement: str | None, label: str, text: str) -> str:
    """A sentence, led by the agreement's label when the rules of both are listed."""
    return label + text if agreement is None else text[:1].upper() + text[1:]


def _seat_reduction(seats: SourceSeats, holders: int | None, source_name: str) -> ChecklistItem:
    """Suggest dropping unused E4 seats before renewal, so the tenant stops paying for them."""
    still = seats.consumed if seats.consumed is not None else holders
    if seats.enabled is not None and still is not None:
        unused = max(seats.enabled - still, 0)
        if unused and len(seats.subscription_ids) > 1:
            # pooled over several subscriptions: the split between them is not known [S13]
            text = (f"{source_name} has {seats.enabled} licenses over "
                    f"{len(seats.subscription_ids)} subscriptions and {still} still assigned: "
                    f"reduce them by {unused} in all before the renewal date so unused seats "
                    "are not billed (Billing > Your products shows each one's count).")
        elif unused:
            text = (f"{source_name} has {seats.enabled} licenses and {still} still assigned: "
                    f"reduce it by {unused} to {still} before the renewal date so unused seats "
                    "are not billed.")
        else:
            text = (f"{source_name} has no unused licenses ({seats.enabled} bought, {still} "
                    "assigned); reduce the count as users move, before the renewal date.")
    else:
        text = (f"Remove unused {source_name} licenses before the renewal date so they are not "
                "billed (add a subscriptions export to get the exact number).")
    return ChecklistItem("REDUCE_SEATS_BEFORE_RENEWAL", text, "S6")
