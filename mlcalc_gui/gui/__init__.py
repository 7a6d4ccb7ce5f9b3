"""The Qt side of mlcalc-gui: main window, shared plot components, the worker and tabs."""
