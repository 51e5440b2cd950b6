"""A progress bar for long runs (the demo, the benchmarks): rich's when the
``progress`` extra is installed, else a one-line text bar on stderr (redrawn
on a terminal; written once, when complete, to a pipe or a log file)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # rich is optional (the progress extra): without it, Progress and TaskID are Any
    from rich.progress import Progress as RichProgress  # type: ignore[import-not-found, unused-ignore]
    from rich.progress import TaskID  # type: ignore[import-not-found, unused-ignore]

__all__ = ["Progress"]


class Progress:
    """rich's progress bar when rich is installed, else a one-line text bar."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label = total, label
        self._rich: RichProgress | None
        self._task: TaskID
        try:
            from rich.progress import Progress as RichProgress
            self._rich = RichProgress()
            self._task = self._rich.add_task(label, total=total)
            self._rich.start()
        except ImportError:
            self._rich = None
        self._redraw = sys.stderr.isatty()  # "\r" redraws would pile up on one line of a log

    def update(self, done: int, step: str | None = None) -> None:
        """*done* of the total; *step*: what runs now (replaces the label)."""
        if step is not None:
            self.label = step
        if self._rich is not None:
            self._rich.update(self._task, completed=done, description=self.label)
        else:
            width = 30
            filled = int(width * done / self.total)
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {self.label:<60.60}"
            if self._redraw:
                sys.stderr.write("\r" + bar)
            elif done >= self.total:
                sys.stderr.write(bar.rstrip() + "\n")
            sys.stderr.flush()

    def console_line(self, line: str) -> None:
        """Print *line* above the bar (a figure as soon as it is measured)."""
        if self._rich is not None:
            self._rich.console.print(line, markup=False, highlight=False)
        else:
            if self._redraw:
                sys.stderr.write("\r\033[K")  # clear the text bar's line; the next update() redraws it
                sys.stderr.flush()
            print(line, flush=True)

    def close(self) -> None:
        if self._rich is not None:
            self._rich.stop()
        elif self._redraw:
            sys.stderr.write("\n")
