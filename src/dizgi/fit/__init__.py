"""Paragraph fitting: each loose paragraph's setting decided once, from layouts of its
article alone, cached per article and applied by the issue's layout.

- ``fitting``: the settings a paragraph may try, the choice, and applying it to the issue;
- ``galleys``: an article laid out alone, measured, and trial copies of its paragraphs;
- ``prediction``: line breaks worked out from measured word widths instead of laid out;
- ``trials``: each paragraph's search, round by round;
- ``spacing``: how loose a line is, read from a layout (also the build's loose-line count);
- ``jobs``: all of it cut into jobs for the worker processes.
"""
