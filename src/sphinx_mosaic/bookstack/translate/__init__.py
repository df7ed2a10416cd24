"""Each page's HTML as BookStack shows it: the doctree of one document translated into a fragment.

The translator and the visitors of other extensions' constructs it mixes in
(callouts, sphinx-design and tabs, API signatures), the ``bkmrk-`` ids of written
and raw HTML, the code-language names BookStack highlights, the description cut
from an index page, and the fragment a page is cached as until the books are
assembled.  The user guide's "What readers see" page describes the result.
"""
