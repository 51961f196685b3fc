"""servicelens: compare what multilingual articles about customer service say."""

__version__ = "0.1.0"
