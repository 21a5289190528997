"""Channel adapters: each turns platform updates into `Inbound` messages."""
