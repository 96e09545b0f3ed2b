"""Progress of ingest and reextract, stage by stage, on stderr.

A stage that takes long is announced when it starts ("indexing 10,001 articles...",
"extracting people and outlets of 10,000 articles..."); its progress follows as

    extracting people and outlets: 2,300/10,000, ETA 3:10

where ETA = (total - done) / (done / seconds since the stage started), once something is
done. On a terminal that line is redrawn in place (at most every REDRAW seconds) and ends
with the stage's time; elsewhere (a log, a pipe) a line is written at each tenth of the
stage, so a long run leaves a short, readable record.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from archive.stages import Progress, Stage

REDRAW = 0.2  # seconds between two redraws of a live line
STEPS = 10  # lines a stage writes when the output is no terminal

ANNOUNCED = {
    Stage.INDEXING: "indexing {total:,} articles...",
    Stage.EXTRACTING: "extracting people and outlets of {total:,} articles...",
}


def minutes(seconds: float) -> str:
    """Return seconds as m:ss (h:mm:ss from an hour on)."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    if hours:
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return f"{rest // 60}:{rest % 60:02d}"


class StageLines:
    """Writes each stage's announcement and progress to a stream; `start` is the StageStart
    callback ingest_paths and reextract_store take."""

    def __init__(
        self, stream: TextIO, live: bool, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stream = stream
        self.live = live
        self.clock = clock
        self.stage: Stage | None = None
        self.total = self.done = 0
        self.started = self.drawn_at = 0.0
        self.steps_written = 0
        self.drawn = False  # a live line is on screen, unfinished

    def start(self, stage: Stage, total: int) -> Progress:
        """End the current stage's line, announce stage and return its progress callback."""
        self.finish()
        self.stage, self.total, self.done = stage, total, 0
        self.started = self.drawn_at = self.clock()
        self.steps_written = 0
        if stage in ANNOUNCED:
            self._write(ANNOUNCED[stage].format(total=total) + "\n")
        return self.advance

    def advance(self, count: int) -> None:
        """Count count more articles done in the current stage."""
        self.done += count
        if self.live:
            now = self.clock()
            if now - self.drawn_at >= REDRAW or self.done >= self.total:
                self.drawn_at = now
                self._write("\r" + self.line() + "\x1b[K")
                self.drawn = True
            return
        # A line at each tenth passed (one for several passed at once).
        step = self.done * STEPS // self.total if self.total else STEPS
        if step > self.steps_written:
            self.steps_written = step
            self._write(self.line() + "\n")

    def line(self) -> str:
        """Return the current stage's progress line."""
        name = self.stage.value if self.stage else ""
        text = f"{name}: {self.done:,}/{self.total:,}"
        elapsed = self.clock() - self.started
        if 0 < self.done < self.total and elapsed > 0:
            text += f", ETA {minutes((self.total - self.done) * elapsed / self.done)}"
        return text

    def finish(self) -> None:
        """End a live line on screen with the stage's time."""
        if self.drawn:
            took = minutes(self.clock() - self.started)
            self._write("\r" + self.line() + f" in {took}\x1b[K\n")
            self.drawn = False

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
