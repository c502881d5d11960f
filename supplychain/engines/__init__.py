"""Simulation engines. Private: use :func:`supplychain.simulate`."""
