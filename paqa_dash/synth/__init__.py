"""The seeded, calibrated synthetic generator (SPEC 9); see generate.py."""
