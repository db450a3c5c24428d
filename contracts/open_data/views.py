"""The open-data page: what the portal publishes, in which files and standards, under which
licence, when, and what it never publishes (the OCDS package's publication policy)."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from contracts.open_data.common import OCID_PREFIX, PREFIX_360
from contracts.open_data.selectors import exports_in

CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"


@require_safe
def open_data(request):
    return render(
        request,
        "contracts/open_data/index.html",
        {
            "license_url": settings.OPEN_DATA_LICENSE,
            "is_cc_by": settings.OPEN_DATA_LICENSE == CC_BY_4,
            "ocid_prefix": OCID_PREFIX,
            "grant_prefix": PREFIX_360,
            "files": exports_in(translation.get_language()),
        },
    )
