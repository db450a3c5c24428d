"""Notices: one ``notify(kind, recipients, obj, ...)`` call (``services``) records a notice per
person and hands it to the channels (the in-app inbox, and email through ``delivery``). Each
app declares its kinds (``kinds.register``) and deadline rules (``sweep.rule``) in its own
``notices.py``; ``sweep.discover()`` finds them, as the admin finds ``admin.py``."""
