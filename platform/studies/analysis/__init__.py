"""Reader-study analysis: a table of ratings in, a JSON-ready report out. Pure (numpy, scipy,
studies.stats); the platform builds the `RatingsTable` from its database (docs/analysis.md)."""
