"""Policies: objects that transform a model's exogenous inputs, registered by name."""
