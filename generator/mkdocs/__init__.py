"""The MkDocs door: the plugin, its config, generated pages and template helpers (the only mkdocs users)."""
