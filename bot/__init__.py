"""Ramen's core: configuration, catalog, storage, recommendation, rendering and the console.

Nothing in this package imports from `cogs/`.
"""
