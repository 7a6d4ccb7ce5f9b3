"""Data the tutor reads at run time (the course's heights), shipped inside the package."""
