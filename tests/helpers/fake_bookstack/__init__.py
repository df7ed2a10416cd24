"""A fake BookStack for the publisher's tests and the benchmarks: the API server, its imports
and exports, what a person's save does to a page, link following, and build-output fixtures."""
