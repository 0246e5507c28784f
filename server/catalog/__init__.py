"""Products, their units and barcodes, and which accounts may buy them (assortments)."""
