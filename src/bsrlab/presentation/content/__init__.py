"""Report content as data: sections of prose, tables and figures, one builder per model family."""
