"""A local Microsoft Graph for the playbook's tests: never shipped, never imported by playbook/.

Modules: :mod:`graphsim.model` (a tenant and Graph's licence rules), :mod:`graphsim.faults`
(429s, 503s, slow answers, the write quota, slow or failing group processing),
:mod:`graphsim.clock` (a virtual clock), :mod:`graphsim.service` (the routes),
:mod:`graphsim.app` (Starlette) with :mod:`graphsim.server` (uvicorn on 127.0.0.1, port 0),
and :mod:`graphsim.transport` (``httpx.MockTransport``, in-process).

Typical use::

    tenant = GraphTenant.from_tenant_dir(TENANTS / "contoso-direct")
    with serve(make_app(tenant, Faults(write_quota=GRAPH_WRITE_QUOTA), clock)) as base_url:
        ...  # E4_GRAPH_URL=base_url, E4_GRAPH_TOKEN=anything
    assert tenant.after_state_matches(plan_dir) == []
"""
