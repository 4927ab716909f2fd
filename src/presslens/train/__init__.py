"""Training of the shipped models (``presslens train …``): each reproduces a package artifact."""
