"""/api/v1/open-data/: the funded work as open data, public, served as files.

Each file is built in the background whenever the data behind it changes (see
``services``) and served from storage as it stands, with its ETag and Last-Modified;
``If-None-Match`` or ``If-Modified-Since`` answer 304. A request costs one small query
(the data's version) while nothing changed."""

import json

from django.http import FileResponse, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from contracts.open_data import extension, services
from portal.api.errors import error_responses
from portal.api.negotiation import FirstRendererNegotiation

MAX_AGE = 300
CACHE_SECONDS = 24 * 60 * 60

JSON = "application/json"


class OpenDataView(APIView):
    """One open-data file; subclasses say which."""

    renderer_classes = [JSONRenderer]  # errors (401, 429) go out as JSON
    content_negotiation_class = FirstRendererNegotiation
    pagination_class = None
    filter_backends = []

    name = ""

    def get_permissions(self):
        # Public: anyone may read. The default permissions (an API client's scopes) still
        # run; AllowAny also tells the OpenAPI schema that no credentials are needed.
        return [AllowAny(), *super().get_permissions()]

    def get(self, request):
        language = translation.get_language() or ""
        try:
            export = services.export_for_request(name=self.name, language=language)
            modified = int(export.built_at.timestamp())
            not_modified = get_conditional_response(
                request, etag=_etag(export), last_modified=modified
            )
            if not_modified is not None:
                return self._finish(not_modified, export)
            try:
                body = services.open_stored(export.path)
            except FileNotFoundError:  # removed from storage behind the portal's back
                export, body = services.export_reopen(
                    name=self.name, language=language, lost=export
                )
        except services.StillBuilding:
            return _still_building()
        kind = services.KINDS[self.name]
        response = FileResponse(body, content_type=kind.content_type)
        response["Content-Length"] = str(export.size)
        if kind.content_type == services.CSV:
            response["Content-Disposition"] = f'attachment; filename="{self.name}"'
        else:
            response.headers.pop("Content-Disposition", None)
        return self._finish(response, export)

    def _finish(self, response, export):
        response["ETag"] = _etag(export)
        response["Last-Modified"] = http_date(export.built_at.timestamp())
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response


RETRY_AFTER = 30  # seconds: a first build of a national data set takes about that long


def _still_building():
    """503 with Retry-After while the first build of the file is under way elsewhere."""
    message = _("This file is being built for the first time. Please try again in a minute.")
    response = HttpResponse(
        json.dumps({"error": {"code": "building", "message": message, "fields": {}}}),
        status=503,
        content_type=JSON,
    )
    response["Retry-After"] = str(RETRY_AFTER)
    patch_cache_control(response, no_store=True)
    return response


def _etag(export) -> str:
    """The file's ETag: its stamp (what it was built from)."""
    return f'W/"{export.stamp[:32]}"'


ERRORS = error_responses(401, 429, 503)
NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the `If-None-Match` header carried the current ETag."
)
COMMON = (
    " Public, no authentication needed. The file is built in the background whenever the "
    "data behind it changes and served as it stands: a payment or any change to an "
    "agreement shows within about a minute (at once on a small portal). Answers carry "
    "`Cache-Control: public, max-age=300`, an ETag and `Last-Modified`; send them back in "
    "`If-None-Match` or `If-Modified-Since` for a 304 while the file is unchanged."
    " Awarded means signed by the CSO: active, completed and settled agreements, and "
    "terminated ones that had been signed; offers not yet signed and declined ones are left "
    "out. Organisation ids: `TH-TIN-<13-digit juristic person id>` for a registered CSO "
    "(org-id.guide list TH-TIN), `360G-thcoprod-CSO-<id>` for an informal group and "
    "`360G-thcoprod-AGENCY-<id>` for an agency (the portal's own, unregistered prefix)."
)


def _json_schema(summary, description, operation_id):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description + COMMON,
        responses={200: OpenApiTypes.OBJECT, 304: NOT_MODIFIED, **ERRORS},
        tags=["open-data"],
    )


def _csv_schema(summary, description, operation_id):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description + " UTF-8 with a byte-order mark, so Excel shows Thai." + COMMON,
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The CSV file."),
            304: NOT_MODIFIED,
            **ERRORS,
        },
        tags=["open-data"],
    )


@extend_schema_view(
    get=_json_schema(
        "Awarded agreements as a 360Giving package",
        "Every awarded agreement as a 360Giving 1.4 grant: funder the agency, recipient the "
        "CSO, amount awarded, planned dates, beneficiary locations by province (DOPA code in "
        "`geoCode`, `geoCodeType` `TH-DOPA-PROVINCE`, ISO 3166-2 code in `id`), the call as "
        "grant programme, and each paid tranche as a disbursement transaction. Grant ids "
        "are `360G-thcoprod-<agreement number>`. Valid against the official 360Giving "
        "1.4.3 package schema (which asks for at least one grant: until the first agreement "
        "is signed the list is empty).",
        "open_data_360giving_json",
    )
)
class GivingJsonView(OpenDataView):
    name = "360giving.json"


@extend_schema_view(
    get=_csv_schema(
        "Awarded agreements as 360Giving CSV",
        "The same grants as one CSV row each, under 360Giving's column titles "
        '("Identifier", "Title", "Amount Awarded", "Award Date", "Recipient Org:Identifier", '
        '"Funding Org:Identifier", ...). Several provinces share one cell, separated by "; ".',
        "open_data_360giving_csv",
    )
)
class GivingCsvView(OpenDataView):
    name = "360giving.csv"


@extend_schema_view(
    get=_json_schema(
        "Calls and awarded agreements as an OCDS release package",
        "An OCDS 1.1 release package: every published call (forecast or open) is one "
        "contracting process, `ocid` `ocds-thcoprod-call-<id>` (a local prefix, not one "
        "assigned by the Open Contracting Partnership), with one release per stage it has "
        "reached (tag `planning`, `tender`, `award`, `contract`, `implementation`; "
        "`contractAmendment` too once a variation is agreed), each as it stands now. The "
        "package lists the portal's OCDS extension, its publisher, licence and publication "
        "policy. Planning comes from the mission, the tender from the "
        "call (value: the budget ceiling per proposal; method `open`; award criteria "
        "`qualityOnly`), awards and contracts from the agreements, and each contract's "
        "`implementation` has every tranche as a milestone of type `payment` (`met` once "
        "paid) and every paid tranche as a transaction from the agency to the CSO. Valid "
        "against the official OCDS 1.1.5 release-package schema, and the OCDS Data Review "
        "Tool finds no remark (until the first call is published the list is empty).",
        "open_data_ocds_json",
    )
)
class OcdsJsonView(OpenDataView):
    name = "ocds.json"


@extend_schema_view(
    get=_csv_schema(
        "Awarded contracts as OCDS CSV",
        "One row per contract: ocid, call, contract id and status, buyer, supplier, value, "
        "dates signed, start and end, the total paid and the number of payments.",
        "open_data_ocds_csv",
    )
)
class OcdsCsvView(OpenDataView):
    name = "ocds.csv"


class ExtensionFileView(APIView):
    """A file of the portal's OCDS extension: fixed, public, cached for a day."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRendererNegotiation
    pagination_class = None
    filter_backends = []
    content = {}

    def get_permissions(self):
        return [AllowAny(), *super().get_permissions()]

    def get(self, request):
        response = HttpResponse(
            json.dumps(self.content, ensure_ascii=False, indent=2), content_type=JSON
        )
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response


@extend_schema_view(
    get=extend_schema(
        operation_id="open_data_ocds_extension",
        summary="The portal's OCDS extension (extension.json)",
        description="Listed in the OCDS package's `extensions`: declares the fields the "
        "releases carry beyond the standard (`parties/details/registered`, "
        "`parties/details/orgForm`, `contracts/implementation/citizenReportCard`). Public.",
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        tags=["open-data"],
    )
)
class OcdsExtensionView(ExtensionFileView):
    content = extension.METADATA


@extend_schema_view(
    get=extend_schema(
        operation_id="open_data_ocds_extension_schema",
        summary="The portal's OCDS extension: its release schema patch",
        description="A JSON Merge Patch to the OCDS 1.1 release schema, as OCDS extensions "
        "are written. Public.",
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        tags=["open-data"],
    )
)
class OcdsExtensionSchemaView(ExtensionFileView):
    content = extension.RELEASE_SCHEMA
