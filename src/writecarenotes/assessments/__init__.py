"""Assessments (service 3): a tool library declared as data, scored by one engine, with schedules and trends."""
