"""Moved to :mod:`playbook.testing.synth`; this shim is removed at integration."""

from playbook.testing.synth import (  # moved; shim removed at integration
    SUBSCRIPTION_FORMATS,
    SUBSCRIPTIONS_SUFFIX,
    USERS_FORMATS,
    USERS_SUFFIX,
    SynthTenant,
    as_read,
    guids,
    subscriptions_as_read,
    synth_tenant,
    write_subscriptions,
    write_tenant_folder,
    write_users,
)

__all__ = [
    "SUBSCRIPTIONS_SUFFIX", "SUBSCRIPTION_FORMATS", "USERS_FORMATS", "USERS_SUFFIX",
    "SynthTenant", "as_read", "guids", "subscriptions_as_read", "synth_tenant",
    "write_subscriptions", "write_tenant_folder", "write_users",
]
