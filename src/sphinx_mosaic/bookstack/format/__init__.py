"""What BookStack takes and keeps, free of Sphinx, docutils and Pillow.

The publisher (``sphinx_mosaic.publish``) runs without Sphinx: in a CI job that
only publishes a build made earlier, ``sphinx-mosaic publish --help`` and the
whole publish run import no Sphinx, docutils, Pillow or resvg
(``tests/whole/test_architecture.py`` checks it in a fresh interpreter).  The rules of
BookStack's formats that both the builder and the publisher need live here.
"""
