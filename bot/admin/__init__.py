"""The admin API for staff and other systems (bearer token)."""
