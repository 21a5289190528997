"""The steps of one customer turn; `bot.engine.Engine` runs them top to bottom.

resolve -> order -> dedupe -> load -> understand -> decide -> commit -> deliver.
"""
