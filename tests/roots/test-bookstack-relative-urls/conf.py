# Relative URLs written in the source (pytest's docs have about a dozen): one naming a
# document's html page links to that page in BookStack, any other keeps its text unlinked.
extensions = ["sphinx_mosaic"]
project = "Relative"
exclude_patterns = ["_build"]
