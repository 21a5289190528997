"""Stage policies: the marketers' YAML, its schema, loading and rendering."""
