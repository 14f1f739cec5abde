"""Background work: the SLA sweep (overdue posts, scheduled replies, notification retries).

The default needs no extra service: a thread in the server process runs the sweep every
``SAFEREPLY_SWEEP_INTERVAL`` seconds. Sweeps are idempotent and safe to run from several processes
at once (notifications are de-duplicated in the database), so a cron job running
``safereply sweep`` works as well.
"""

from __future__ import annotations

from safereply.jobs.sweeper import Sweeper

__all__ = ["Sweeper"]
