"""Care planning models, one module per sub-domain."""
