"""Pure chart builders: Polars frame in, Plotly figure out (one theme, one palette)."""
