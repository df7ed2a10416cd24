"""Sync the BookStack output to a live BookStack server (being built)."""
