"""What the Zalo and Messenger channels share: outcomes, parsed events, pacing, windows."""
