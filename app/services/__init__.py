"""Use cases the desktop UI and the command line call; they return plain dataclasses."""
