"""The window around the tabs: the registry of tabs, sessions, lessons, exports, text
size, presentation mode, and the application-wide key and focus rules."""
