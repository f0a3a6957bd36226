"""strikemap's library: find places and cross-border strikes in news articles.

The package never imports streamlit; the app in ``app.py`` and ``pages/`` only calls it.
"""

__version__ = "0.1.0"
