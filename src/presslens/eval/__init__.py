"""Scorers behind ``presslens eval``: standard metrics on annotated data, never hard-coded."""
