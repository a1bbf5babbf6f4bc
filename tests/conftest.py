"""Suite-wide setup: the hypothesis profile is loaded before any test module is imported."""

from . import profiles

profiles.load()
