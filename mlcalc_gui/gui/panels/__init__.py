"""Panels: groups of controls and views the tabs share (function input, point readout,
landscape pair, teaching plots)."""
