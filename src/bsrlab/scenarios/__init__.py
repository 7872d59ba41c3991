"""Scenarios: calibrated presets (with sources) and the labs that run models under policies."""
