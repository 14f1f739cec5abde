"""The pure core: analysis without I/O, clocks, databases or network. Deterministic."""
