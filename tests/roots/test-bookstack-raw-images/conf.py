# Raw HTML images: a local src found in html_static_path or beside the page is packed
# like any image; a src found nowhere warns and shows the alt text; remote ones stay.
extensions = ["sphinx_mosaic"]
project = "Raw images"
html_static_path = ["_static"]
exclude_patterns = ["_build"]
