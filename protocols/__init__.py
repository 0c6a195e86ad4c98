"""The peer-learning protocols: schema, loader, checks and the built-in library."""
