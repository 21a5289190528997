"""The support inbox: who owns a conversation, closed ones, tickets, the rows staff see."""
