"""The installed version, read once from the package metadata."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("supplychain")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
