"""The scheduler process: one active instance (a lock), the others wait as standby."""
