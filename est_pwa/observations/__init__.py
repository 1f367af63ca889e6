"""Observations reported by staff and the public, with their photos and comments."""
