"""Pure analyses of a loaded org: one module per concern, no printing and no file access."""
