"""From the wiki back to Git: BookStack page HTML to MyST, and ``sphinx-mosaic import``.

Sphinx-free, like the publisher: it runs where only the command line is installed.
"""
