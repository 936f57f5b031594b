"""Accounts: sign-in and its lockout, the second factor, passwords and sessions."""
