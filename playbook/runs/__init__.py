"""Runs: the notebooks executed for one tenant or a fleet, and what those runs leave behind.

One module per concern, from the bottom up:

- :mod:`~playbook.runs.folders`: where runs live (``<out>/<tenant folder>/<timestamp>/``);
- :mod:`~playbook.runs.step_range`: ``--steps 1-3`` and back;
- :mod:`~playbook.runs.standing`: where a tenant stands, decided from its records alone;
- :mod:`~playbook.runs.page_style`: the look shared by the run index and the summary page;
- :mod:`~playbook.runs.record`: the run record (``result.json``, ``steps/*.json``,
  ``index.html``);
- :mod:`~playbook.runs.summary_page`: ``summary.csv`` and ``summary.html`` of a fleet;
- :mod:`~playbook.runs.selection`: which tenant folders a fleet holds and which run now;
- :mod:`~playbook.runs.status`: ``e4-playbook status``;
- :mod:`~playbook.runs.execute`: papermill and nbconvert, the only module that runs kernels;
- :mod:`~playbook.runs.tenant_run`: one tenant's run into a run folder;
- :mod:`~playbook.runs.fleet`: many tenants in a process pool or on Dask;
- :mod:`~playbook.runs.demo`: the sample tenants run as a fleet;
- :mod:`~playbook.runs.stopping`: the app's temporary working copy and server end with it.

This file imports none of them, so importing one module never starts the others' imports.
"""
