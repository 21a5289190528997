"""The web console for marketers and support staff, served under `/console`."""
