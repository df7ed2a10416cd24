"""Sync the BookStack output to a live BookStack server: ``sphinx-mosaic publish OUTPUT``.

One run reads the build output (:mod:`.bundle`) and the server's owned content
(:mod:`.state`), computes a plan without I/O (:mod:`.plan`), prints it, and
applies it (:mod:`.apply`, with :mod:`.files` for images and attachments,
:mod:`.imports` for whole-book imports and :mod:`.links` for link rewriting).
:mod:`.client` is the rate-budgeted, retrying HTTP client; :mod:`.publisher`
ties a run together; :mod:`.cli` and :mod:`.after_build` are its two entry points.
"""
