"""Settings: base.py holds everything, dev/test/production adjust it; all from the environment."""
