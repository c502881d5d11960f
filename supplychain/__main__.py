"""``python -m supplychain``: the ``supplychain`` command (`supplychain.cli`)."""

from .cli.app import main

if __name__ == "__main__":
    raise SystemExit(main())
