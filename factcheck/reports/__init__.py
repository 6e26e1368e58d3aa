"""Renderers for what the library returns: terminal (rich), Markdown, JSON-ready dicts.

Renderers only format records; they never query the store or load a model.
"""
