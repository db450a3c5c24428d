"""Verifying a person's email address: a signed, time-limited, single-use link sent at
sign-up (and on request); a citizen takes part in polls and consultations once verified."""
