"""
The Modal backend: a deployed launcher function called through the modal SDK (``gateway``).
"""
