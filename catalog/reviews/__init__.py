"""Overrides of Oscar's `catalogue.reviews` classes, found by get_class through the catalogue fork."""
