"""Views: the drawing widgets the tabs build on (3D surface, contour map, playback bar,
network diagram, formulas)."""
