"""factcheck: quote attribution, who-said-what search and claim cross-checking for news."""

__version__ = "0.1.0"
