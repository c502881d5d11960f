"""Maintainer tools (not shipped in the wheel): the baseline data builder and the assumptions sensitivity script."""
