"""The REST channel (Rasa's `rest` connector) and the web chat that talks to it."""
