"""The Qt desktop client: widgets and view-models over `app.services` (see DESIGN.md)."""
