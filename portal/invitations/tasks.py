"""The invitations' Celery tasks, for the worker's discovery: the email lives in ``delivery``."""

from .delivery import send_invitation_email

__all__ = ["send_invitation_email"]
