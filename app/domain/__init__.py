"""Pure-Python domain core shared by the desktop client and the server: no Qt, no SQL, no I/O."""
