"""Moved to :mod:`playbook.runs` (the run record: :mod:`~playbook.runs.record`)."""

from playbook.runs.record import (  # moved; shim removed at integration
    RESULT_FILE,
    RESULT_SCHEMA_VERSION,
    RESULT_USERS_KEPT,
    assemble_result,
    load_result,
    load_steps,
    result_schema_path,
    run_index_html,
    save_step,
    write_result,
)
from playbook.runs.summary_page import (  # moved; shim removed at integration
    neutralize_cell,
    write_summary,
)
from playbook.runs.writing import (  # moved; shim removed at integration
    write_json_atomic,
    write_text_atomic,
)

__all__ = ["RESULT_FILE", "RESULT_SCHEMA_VERSION", "RESULT_USERS_KEPT",
           "assemble_result", "load_result", "load_steps", "neutralize_cell",
           "result_schema_path", "run_index_html", "save_step", "write_json_atomic",
           "write_result", "write_summary", "write_text_atomic"]
