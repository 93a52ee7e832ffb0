"""The seeded, calibrated synthetic generator; see generate.py."""
