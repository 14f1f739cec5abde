"""Background work: polls, publishing, the SLA sweep and notification retries.

* :mod:`safereply.jobs.engine` — the jobs on Huey (``safereply worker``): an SQLite queue beside
  the database by default, Redis when ``SAFEREPLY_REDIS_URL`` is set; a periodic tick enqueues
  what is due; back-off is kept in the database; :mod:`safereply.jobs.locks` keeps one job from
  running twice at once.
* :class:`Sweeper` — a thread in the server process that runs the SLA sweep every
  ``SAFEREPLY_SWEEP_INTERVAL`` seconds, so ``safereply serve`` works alone on one machine. Sweeps
  are idempotent and safe from several processes (notifications are de-duplicated in the
  database), so a cron job running ``safereply sweep`` works as well.

The engine is imported on demand (``from safereply.jobs.engine import Jobs``): the server and the
command line do not load Huey unless they run jobs.
"""

from __future__ import annotations

from safereply.jobs.sweeper import Sweeper

__all__ = ["Sweeper"]
