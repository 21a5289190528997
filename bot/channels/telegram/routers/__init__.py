"""aiogram routers, one per feature; dependencies arrive through the workflow data."""
