"""The regulators' notification rules, one module per home nation (each exports ``RULES``)."""
