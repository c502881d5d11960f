"""Derivation of the input-output table of the impact layer (``supplychain/data/impact/io_table.toml``)."""
