"""Microsoft Graph: read a tenant (``export``) and carry out a reviewed plan (``apply``).

One module per concern: :mod:`~playbook.graph.endpoint` (which Graph, and the loopback-only
test hooks), :mod:`~playbook.graph.auth` (sign-in with msal; the token never leaves memory),
:mod:`~playbook.graph.http` (pacing under the write quota, retries, ``$batch``),
:mod:`~playbook.graph.export` (users, subscriptions and groups into a tenant folder),
:mod:`~playbook.graph.journal` (what apply intended, got and checked, line by line),
:mod:`~playbook.graph.state` (what a user or group holds now against what the plan says),
:mod:`~playbook.graph.apply` (the batches, groups last, resumable) and
:mod:`~playbook.graph.session` (the commands' steps, shared by the CLI and notebook 03b).

The layer sits above verification (apply ends with ``verify``) and below the runs.
"""
