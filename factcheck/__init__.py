"""factcheck: quote attribution, who-said-what search and claim cross-checking for news.

``factcheck.open(index)`` is the library's entry point (see ``factcheck.desk``).
"""

from .desk import Desk, open

__version__ = "0.1.0"
__all__ = ["Desk", "open", "__version__"]
