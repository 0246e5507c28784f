"""Orders, their lines and status history, and shipments."""
