"""Two-factor sign-in (issue 13, item 2): a code from an authenticator app (django-otp's TOTP
device) after the password, with ten one-time recovery codes (its static device). Required
for staff and committee reviewers, offered to agency officers and evaluators."""
