"""The law of each nation about incidents, as data: ``notifications`` (regulators), ``candour``."""
