"""Running long work: the workers (a thread, a process) and the run controller every tab uses."""
