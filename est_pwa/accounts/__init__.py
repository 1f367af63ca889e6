"""Organisations, users, roles and logging in."""
