"""Settings that admins change at run time (cadences, thresholds), with defaults in code."""
