"""The teacher's passcode: who may start, cancel and promote runs and upload data sets.

Served to a room, any student could cancel a classmate's run or fill the server's disk; on a
laptop with one user nothing needs guarding. So the passcode is optional: set it in
$CONVNET_PASSCODE or as `teacher_passcode` in .streamlit/secrets.toml (both outside git), and
only then are those controls locked. Wrong tries are rate-limited per server, in memory.
"""
from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable, Mapping
from enum import StrEnum

ENV = "CONVNET_PASSCODE"
SECRET = "teacher_passcode"
TRIES, WINDOW_S, LOCKOUT_S = 5, 60.0, 120.0  # 5 wrong tries within a minute: no tries for 2 minutes


def configured(environ: Mapping[str, str], secrets: Mapping[str, object]) -> str | None:
    """The passcode: the environment's, else the secrets file's; None (everything open) when
    neither is set or it is blank."""
    for value in (environ.get(ENV), secrets.get(SECRET)):
        if value is not None and str(value).strip():
            return str(value)
    return None


def matches(given: str, passcode: str) -> bool:
    """In constant time, so the time taken does not tell how much of a guess was right."""
    return hmac.compare_digest(given.encode(), passcode.encode())


class Attempt(StrEnum):
    RIGHT = "right"
    WRONG = "wrong"
    WAIT = "wait"  # too many wrong tries lately: refused without looking, right or not


class Limiter:
    """After `tries` wrong tries within `window` seconds, every try is refused for `lockout`
    seconds. One per server, shared by every session (Streamlit runs them in threads)."""

    def __init__(self, tries: int = TRIES, window: float = WINDOW_S, lockout: float = LOCKOUT_S,
                 clock: Callable[[], float] = time.monotonic):
        self.tries, self.window, self.lockout, self.clock = tries, window, lockout, clock
        self._wrong: list[float] = []
        self._until = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Seconds until tries are looked at again (0: now)."""
        return max(0.0, self._until - self.clock())

    def attempt(self, given: str, passcode: str) -> Attempt:
        with self._lock:
            now = self.clock()
            if now < self._until:
                return Attempt.WAIT
            if matches(given, passcode):
                self._wrong.clear()
                return Attempt.RIGHT
            self._wrong = [t for t in self._wrong if now - t < self.window] + [now]
            if len(self._wrong) >= self.tries:
                self._until, self._wrong = now + self.lockout, []
            return Attempt.WRONG
