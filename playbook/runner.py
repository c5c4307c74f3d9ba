"""Moved to :mod:`playbook.runs` (one tenant's run: :mod:`playbook.runs.tenant_run`)."""

from playbook.runs.demo import run_demo  # moved; shim removed at integration
from playbook.runs.fleet import run_fleet  # moved; shim removed at integration
from playbook.runs.folders import (  # moved; shim removed at integration
    default_notebooks_dir,
    new_run_dir,
    repo_root,
    run_folders,
)
from playbook.runs.record import (  # moved; shim removed at integration
    EXIT_FAILED,
    RESULT_FILE,
    NotebookRun,
    RunRecord,
    crash_record,
    playbook_version,
    tenant_records,
)
from playbook.runs.status import fleet_status  # moved; shim removed at integration
from playbook.runs.step_range import format_steps, parse_steps  # moved; shim removed
from playbook.runs.tenant_run import (  # moved; shim removed at integration
    DEFAULT_CELL_TIMEOUT,
    check_tenant,
    notebook_parameters,
    run_tenant,
)

__all__ = ["DEFAULT_CELL_TIMEOUT", "EXIT_FAILED", "RESULT_FILE", "NotebookRun", "RunRecord",
           "check_tenant", "crash_record", "default_notebooks_dir", "fleet_status",
           "format_steps", "new_run_dir", "notebook_parameters", "parse_steps",
           "playbook_version", "repo_root", "run_demo", "run_fleet", "run_folders",
           "run_tenant", "tenant_records"]
