"""A local Microsoft Graph for the playbook's tests: never shipped, never imported by playbook/
(an import-linter contract in pyproject.toml, and tests/test_graphsim.py, keep it so).

Modules: :mod:`graphsim.model` (``GraphTenant``: a tenant and Graph's licence rules; built by
:mod:`graphsim.build`, checked against a plan by :mod:`graphsim.afterstate`),
:mod:`graphsim.faults` (429s, 503s and other transient failures, slow answers, the write quota,
slow or failing group processing), :mod:`graphsim.clock` (a virtual clock),
:mod:`graphsim.service` (the routes, framework-free), :mod:`graphsim.app` (Starlette) with
:mod:`graphsim.server` (uvicorn on 127.0.0.1, port 0), :mod:`graphsim.transport`
(``httpx.MockTransport``, in-process, same service code).

Typical use::

    tenant = GraphTenant.from_tenant_dir(TENANTS / "contoso-direct")
    clock = VirtualClock()
    with serve(make_app(tenant, Faults(write_quota=GRAPH_WRITE_QUOTA), clock)) as base_url:
        ...  # E4_GRAPH_URL=base_url, E4_GRAPH_TOKEN=anything non-empty
    assert tenant.after_state_matches(plan_dir) == []
    assert tenant.writes_applied_after_success() == []

Only requests through the app or the transport are logged (``tenant.requests``,
``tenant.write_log``). To make drift (a user changed since the plan), change the model
directly (``tenant.assign_user_license(upn, body)``, ``tenant.set_usage_location``): nothing
is logged, and ``after_state_matches`` reports that user as different from the plan.
"""
