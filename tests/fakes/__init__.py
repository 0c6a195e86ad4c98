"""Loopback fakes of the outside world: the clock, the platforms' APIs."""
