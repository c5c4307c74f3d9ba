"""``python -m playbook`` is the same as the ``e4-playbook`` command."""

from playbook.cli import main

main()
