"""/api/v1/open-data/: the funded work as open data, public and cached.

Each answer is built once per "data version" (a one-query fingerprint of the agreements,
tranches, payments, CSOs, calls and missions behind it) and kept in Django's cache, so a
payment shows in the next request while repeated requests cost one small query. Answers
carry ``Cache-Control: public, max-age=300`` and an ETag; ``If-None-Match`` with the
current ETag answers 304 without building anything."""

import hashlib
import json

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from contracts.open_data import extension, giving, ocds, selectors
from portal.api.errors import error_responses
from portal.api.negotiation import FirstRendererNegotiation

MAX_AGE = 300
CACHE_SECONDS = 24 * 60 * 60  # a version no longer current simply ages out

JSON = "application/json"
CSV = "text/csv; charset=utf-8"


class OpenDataView(APIView):
    """One open-data file; subclasses say which."""

    renderer_classes = [JSONRenderer]  # errors (401, 429) go out as JSON
    content_negotiation_class = FirstRendererNegotiation
    pagination_class = None
    filter_backends = []

    name = ""
    content_type = JSON

    def get_permissions(self):
        # Public: anyone may read. The default permissions (an API client's scopes) still
        # run; AllowAny also tells the OpenAPI schema that no credentials are needed.
        return [AllowAny(), *super().get_permissions()]

    def build(self, request) -> bytes:
        raise NotImplementedError

    def get(self, request):
        base = request.build_absolute_uri("/")
        language = translation.get_language() or ""
        version = selectors.data_version()
        stamp = hashlib.sha256(f"{self.name}|{language}|{base}|{version}".encode()).hexdigest()
        etag = f'W/"{stamp[:32]}"'
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return self._finish(not_modified, etag)
        key = f"open-data:{stamp}"
        body = cache.get(key)
        if body is None:
            body = self.build(request)
            cache.set(key, body, CACHE_SECONDS)
        response = HttpResponse(body, content_type=self.content_type)
        if self.content_type == CSV:
            response["Content-Disposition"] = f'attachment; filename="{self.name}"'
        return self._finish(response, etag)

    def _finish(self, response, etag):
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response


ERRORS = error_responses(401, 429)
NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the `If-None-Match` header carried the current ETag."
)
COMMON = (
    " Public, no authentication needed. Answers carry `Cache-Control: public, "
    "max-age=300` and an ETag; send it back in `If-None-Match` for a 304 while the data "
    "is unchanged. A payment or any change to an agreement shows at once."
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

    def build(self, request):
        return giving.giving_json(
            selectors.awarded_agreements(), base=request.build_absolute_uri("/")
        )


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
    content_type = CSV

    def build(self, request):
        return giving.giving_csv(selectors.awarded_agreements())


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

    def build(self, request):
        return ocds.ocds_json(
            selectors.published_calls(),
            selectors.awarded_agreements(),
            uri=request.build_absolute_uri(request.path),
            base=request.build_absolute_uri("/"),
        )


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
    content_type = CSV

    def build(self, request):
        return ocds.ocds_csv(selectors.awarded_agreements())


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
