"""``python -m playbook.app``: serve the notebooks with Voila (what ``make app`` runs).

Kept apart from :mod:`playbook.app` because Voila is the optional ``app`` extra: the first
screen (00-app.ipynb) imports :mod:`playbook.app` in JupyterLab too, where Voila may be absent.
"""

from __future__ import annotations

import sys
import webbrowser
from collections.abc import Sequence

from traitlets.config import Config
from voila.app import Voila

from playbook.app import first_screen_url, prelaunch_hook, voila_args


class PlaybookApp(Voila):
    """Voila with the URL hook, opening the browser on the tenant chooser."""

    def listen(self) -> None:
        self.log.info("E4 upgrade playbook: open %s", first_screen_url(self.connection_url))
        super().listen()

    def launch_browser(self) -> None:
        webbrowser.open(first_screen_url(self.connection_url))


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the notebooks with Voila on localhost, the browser opened on the first screen.

    Any Voila option may be passed (``--port=9000``, ``--no-browser``); a folder argument
    replaces the default notebooks folder.
    """
    config = Config()
    config.VoilaConfiguration.prelaunch_hook = prelaunch_hook
    PlaybookApp.launch_instance(argv=voila_args(sys.argv[1:] if argv is None else argv),
                                config=config)


if __name__ == "__main__":  # pragma: no cover
    main()
