"""Torch for the Python reference scripts under tests/ (run with the pinned pytools python).

The pytools environment may lack torch: STRATA_TORCH_SITE_PACKAGES (the site-packages holding the
torch LibTorch came from) is then appended to sys.path, after the environment's own packages so
that their versions win. Scripts add tests/ to sys.path and import import_torch from here.
"""
import os
import sys


def import_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        extra = os.environ.get("STRATA_TORCH_SITE_PACKAGES", "")
        if extra:
            sys.path.append(extra)
    import torch

    return torch
