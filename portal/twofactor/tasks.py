"""Two-factor sign-in's Celery task, for the worker's discovery: the email lives in
``delivery``."""

from .delivery import send_two_factor_email

__all__ = ["send_two_factor_email"]
