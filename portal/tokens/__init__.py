"""A person's API token: it expires (API_TOKEN_DAYS), is revoked on a password change, on
deactivation and on request, and its owner sees it on the web. API client accounts (other
government systems) have tokens of their own kind, rotated by staff, that do not expire."""
