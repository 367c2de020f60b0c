"""The what-if simulation of the front door (issue 13): engine (SimPy, pure),
calibration (the insight store only), validation and scenarios."""
