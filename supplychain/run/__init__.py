"""Run engines over seeds, chunks and executors: :func:`simulate`."""

from .simulate import ENGINES, simulate

__all__ = ["simulate", "ENGINES"]
