"""Brute-force locks on sign-in (django-axes): the handler that counts failures per username
and per address, the lock page and API answer, the audit row of each lock, and the staff page
that lifts one."""
