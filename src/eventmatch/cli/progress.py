"""A progress bar on stderr, for long inputs read from regular files."""

from __future__ import annotations

import time
from typing import Final, TextIO

__all__ = ["Progress"]

_WIDTH: Final = 30
_INTERVAL: Final = 0.1  # seconds between redraws


class Progress:
    """One line redrawn in place: ``label [#####.....]  50%``. Call :meth:`clear` before other output."""

    def __init__(self, out: TextIO, label: str, total: int) -> None:
        self.out = out
        self.label = label
        self.total = total
        self.drawn_at = 0.0
        self.visible = False

    def update(self, done: int) -> None:
        """Show that ``done`` of ``total`` units are done (redrawn at most ten times a second)."""
        now = time.monotonic()
        if now - self.drawn_at < _INTERVAL:
            return
        self.drawn_at = now
        fraction = min(done / self.total, 1.0) if self.total else 1.0
        filled = round(fraction * _WIDTH)
        self.out.write(f"\r{self.label} [{'#' * filled}{'.' * (_WIDTH - filled)}] {fraction:4.0%}")
        self.out.flush()
        self.visible = True

    def clear(self) -> None:
        """Erase the bar (it comes back at the next update)."""
        if self.visible:
            self.out.write("\r\033[K")
            self.out.flush()
            self.visible = False
