"""The four steps of the playbook: the one place that names them.

The runner, the notebooks, the run record, the fleet summary and the web app all need the same
facts about a step (its number, its notebook, the key its result is saved under, its title), so
they read them from :data:`STEPS` instead of keeping copies that drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One step of the playbook."""

    number: int
    notebook: str
    """File name of the step's notebook (in the notebooks folder)."""
    result_key: str
    """Key of the step's result in ``result.json`` and name of ``steps/<key>.json``."""
    title: str
    """What the step answers, as the first screen and the run index say it."""

    @property
    def label(self) -> str:
        """``"01"``: the prefix of the notebook's file name."""
        return f"{self.number:02d}"


STEPS: tuple[Step, ...] = (
    Step(1, "01-eligibility.ipynb", "assessment", "Step 1: eligibility and the verdict"),
    Step(2, "02-license-count.ipynb", "counts", "Step 2: how many licenses to buy"),
    Step(3, "03-reassign.ipynb", "plan", "Step 3: the reassignment plan"),
    Step(4, "04-verify-and-cancel.ipynb", "verification",
         "Step 4: verify the move, then cancel E4"),
)

RESULT_KEYS: tuple[str, ...] = tuple(s.result_key for s in STEPS)
"""Result keys in step order: ``("assessment", "counts", "plan", "verification")``."""


def step(number: int) -> Step:
    """The step with this number (1-4)."""
    for s in STEPS:
        if s.number == number:
            return s
    raise KeyError(f"no step {number}: the steps are 1-{len(STEPS)}")


def step_for_result(key: str) -> Step:
    """The step whose result is saved under ``key``."""
    for s in STEPS:
        if s.result_key == key:
            return s
    raise KeyError(f"no step saves {key!r}: the keys are {', '.join(RESULT_KEYS)}")
