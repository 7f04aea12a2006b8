"""WriteCareNotes: software that runs a care home, or a group of them."""

__version__ = "0.1.0"
