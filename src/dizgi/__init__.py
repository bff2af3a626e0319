"""dizgi: a Turkish magazine issue from Markdown to a print PDF and an EPUB 3."""

__version__ = "0.1.0"
