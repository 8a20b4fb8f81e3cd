"""Demo data for trying Gezel out (never in production)."""
