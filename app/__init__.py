"""LADO case manager."""
