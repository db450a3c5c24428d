"""The web UI of calls and proposals, one module per concept."""
