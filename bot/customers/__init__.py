"""Customer data from outside the chat: product events, and the records they create."""
