"""Daily Picks: a daily research-paper newsletter built with MkDocs."""
