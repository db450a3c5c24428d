"""Finding a module by name in every installed app and in its sub-packages (``<app>.tasks``,
``<app>.<noun>.tasks``), as the admin finds ``admin.py``. Looked up on disk: no package is
imported to look."""

import importlib
import os
import pkgutil

from django.apps import apps

# Sub-packages never holding such a module.
SKIPPED = {"migrations", "management", "templatetags"}


def modules_named(name: str) -> list[str]:
    """``<app>.<name>`` and ``<app>.<sub-package>.<name>`` for every installed app that has
    them, in the order of INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        for where, package in _packages(config):
            if any(module.name == name for module in pkgutil.iter_modules([where])):
                found.append(f"{package}.{name}")
    return found


def _packages(config):
    path = getattr(config.module, "__path__", None)
    if not path:
        return
    root = path[0]
    yield root, config.name
    for sub in pkgutil.iter_modules([root]):
        if sub.ispkg and sub.name not in SKIPPED:
            yield os.path.join(root, sub.name), f"{config.name}.{sub.name}"


def autodiscover(name: str) -> None:
    """Import every ``modules_named(name)``: what they register (notice kinds and rules)
    is then known. Called from PortalConfig.ready(), once the models are loaded."""
    for module in modules_named(name):
        importlib.import_module(module)
