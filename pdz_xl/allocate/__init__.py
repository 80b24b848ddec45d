"""Allocation: split every cost line over its funding channels, exact to the cent."""
