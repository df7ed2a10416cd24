"""Speed and scale benchmarks of sphinx-mosaic against Sphinx's own builders.

``python -m benchmarks run --size small`` runs the whole suite at a small size
(a few minutes); ``--size full`` adds the corpus and the 1,000 and 5,000-page
trees.  ``python -m benchmarks generate DIR --pages 1000`` writes a synthetic
tree.  The method is described in ``docs/4-development/3-benchmarks.md``.

Modules:

* :mod:`benchmarks.generator`: deterministic synthetic trees in our layout;
* :mod:`benchmarks.subjects`: the trees measured (our docs, the corpus, synthetic);
* :mod:`benchmarks.build`: one measured Sphinx build, run in a fresh process;
* :mod:`benchmarks.suite`: the measurements, alternating A/B runs;
* :mod:`benchmarks.report`: medians, ratios, targets, JSON and Markdown.
"""
