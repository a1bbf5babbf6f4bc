"""Hypothesis profiles for the whole suite, loaded by ``conftest.py`` before any test module.

Loading them there, not in a test module, means a test runs the same examples alone as in the
full suite (a profile loaded on importing one module used to apply to every test collected after).

``ci`` is the default; ``HYPOTHESIS_PROFILE=thorough`` multiplies every count by ``THOROUGH_SCALE``.
Tests that need more (or fewer) examples than the profile's 100 say so with ``examples``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
THOROUGH_SCALE = 25


def examples(count: int) -> int:
    """``count`` examples under the ``ci`` profile, ``THOROUGH_SCALE`` times as many under ``thorough``."""
    return count * THOROUGH_SCALE if PROFILE == "thorough" else count


def load() -> None:
    """Register both profiles and load the one ``HYPOTHESIS_PROFILE`` names (``ci`` by default)."""
    for name, scale in (("ci", 1), ("thorough", THOROUGH_SCALE)):
        settings.register_profile(
            name,
            max_examples=100 * scale,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
    settings.load_profile(PROFILE)
