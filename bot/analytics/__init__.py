"""Lifecycle analytics: the funnel, times in stage, trials, onboarding, NPS, referrals, handoffs."""
