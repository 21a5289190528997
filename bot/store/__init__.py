"""Redis access: the key builder, repositories and the atomic turn commit."""
