"""Per-article stages: ``list[Article] -> list[Article]``, registered by implementation name."""
