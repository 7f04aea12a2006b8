"""Medication management and eMAR (service 5): prescriptions, rounds, safety checks, controlled drugs, stock."""
