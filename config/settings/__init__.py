"""Settings package: base.py holds everything, dev/test/production adjust it; all read the environment."""
