"""The explorer's pages: each module has ``page(ctx) -> panel layout`` (``ctx``: the app's
settings, e.g. the data directory)."""
