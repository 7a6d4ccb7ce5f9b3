"""mlcalc-gui: an offline desktop visual tutor for the multivariate calculus behind ML."""

__version__ = "0.1.0"
