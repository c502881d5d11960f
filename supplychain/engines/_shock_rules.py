"""Rules that turn each built-in shock type into schedule edits (see :mod:`._schedules`)."""

from __future__ import annotations
