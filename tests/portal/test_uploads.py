"""Uploads whose content is active or ambiguous are refused, by content, whatever their
name: PDFs that run JavaScript, launch programs or carry files (also with #xx escapes or
inside a compressed stream), and HTML hidden at the start or end of a PDF or an image. Each
registration or proposal holds a limited number of documents, each organisation a limited
total, and the refusals are in the reader's language."""

import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from contracts.proposals import services as proposal_services
from csos.models import CSO
from csos.registration import services as cso_services
from portal.uploads import check_upload, organisation_bytes
from tests import factories
from tests.factories import sample_file
from tests.helpers import assert_error

FILES = {name: sample_file(name).read() for name in ["registration.pdf", "logo.png", "photo.jpg"]}
PDF = FILES["registration.pdf"]


def pdf_with(body: bytes) -> bytes:
    """A PDF whose catalogue says ``body`` (the rest as a real PDF would have it)."""
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog " + body + b" >>\nendobj\n" + PDF[9:]


def upload(data: bytes, name="file.pdf"):
    return SimpleUploadedFile(name, data, "application/pdf")


def refusal(data: bytes, name="file.pdf") -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(data, name))
    return caught.value.messages[0]


@pytest.mark.parametrize("name", ["registration.pdf", "logo.png", "photo.jpg"])
def test_the_sample_documents_are_accepted(name):
    assert check_upload(upload(FILES[name], name)) in {
        "application/pdf",
        "image/png",
        "image/jpeg",
    }


@pytest.mark.parametrize(
    "body",
    [
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>",  # name escapes
        b"/OpenAction << /S /Launch /F (cmd.exe) >>",
        b"/Names << /EmbeddedFiles << /Names [(a.exe) 2 0 R] >> >>",
        b"/AA << /O << /S /URI /URI (http://example.org) >> >>",
    ],
    ids=["javascript", "escaped-javascript", "launch", "embedded-file", "additional-actions"],
)
def test_a_pdf_declaring_active_content_is_refused(body):
    assert "JavaScript" in refusal(pdf_with(body))


def test_javascript_inside_a_compressed_stream_is_refused():
    hidden = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    data = pdf_with(b"") + b"5 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + hidden
    data += b"\nendstream\nendobj\n"
    assert "JavaScript" in refusal(data)


def test_a_plain_open_action_that_only_shows_the_first_page_is_accepted():
    assert check_upload(upload(pdf_with(b"/OpenAction [3 0 R /Fit]"))) == "application/pdf"


@pytest.mark.parametrize(
    ("sample", "html", "where"),
    [
        ("registration.pdf", b"<html><script>alert(1)</script></html>", "tail"),
        ("registration.pdf", b"<!DOCTYPE html>", "head"),
        ("logo.png", b"<SCRIPT>alert(1)</SCRIPT>", "tail"),
        ("logo.png", b"<svg onload=alert(1)>", "head"),
        ("photo.jpg", b"<iframe src=//example.org>", "tail"),
    ],
)
def test_html_polyglots_are_refused(sample, html, where):
    data = FILES[sample]
    # In the head: after the magic bytes, as a comment or text chunk would carry it.
    data = data[:64] + html + data[64:] if where == "head" else data + html
    assert "HTML" in refusal(data, sample)


def test_the_refusal_is_in_thai_for_a_thai_reader():
    with translation.override("th"):
        message = refusal(FILES["logo.png"] + b"<html>")
    assert "HTML" in message and "เบราว์เซอร์" in message


# --- how much each object and organisation keeps ----------------------------------------


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_a_registration_holds_at_most_the_documents_allowed(settings):
    settings.MAX_DOCUMENTS_PER_OBJECT = 2
    cso = factories.CSOFactory(status=CSO.Status.DRAFT, documents=False)
    member = cso.members.get()
    for _ in range(2):
        cso_services.cso_document_add(
            cso=cso, user=member, kind="other", upload=sample_file("registration.pdf")
        )
    with pytest.raises(ValidationError) as caught:
        cso_services.cso_document_add(
            cso=cso, user=member, kind="other", upload=sample_file("logo.png")
        )
    assert "At most 2 documents" in caught.value.message_dict["file"][0]
    assert cso.documents.count() == 2


@pytest.mark.django_db
def test_an_organisation_keeps_at_most_its_total_across_registration_and_proposals(
    settings, api_as
):
    proposal = factories.ProposalFactory()
    cso = proposal.cso
    member = proposal.created_by
    used = organisation_bytes(cso.pk)  # its registration's and the proposal's documents
    before = proposal.documents.count()
    pdf = len(PDF)
    settings.MAX_UPLOAD_BYTES_PER_ORGANISATION = used + pdf + pdf // 2
    proposal_services.proposal_document_add(
        proposal=proposal, user=member, title="แผนงาน", upload=sample_file("registration.pdf")
    )
    with pytest.raises(ValidationError) as caught:
        proposal_services.proposal_document_add(
            proposal=proposal, user=member, title="งบประมาณ", upload=sample_file("registration.pdf")
        )
    assert "Your organisation's documents already take" in caught.value.message_dict["file"][0]
    assert proposal.documents.count() == before + 1


@pytest.mark.django_db
def test_the_api_refuses_a_polyglot_with_a_field_error_in_thai(api_as):
    cso = factories.CSOFactory(status=CSO.Status.DRAFT, documents=False)
    data = FILES["registration.pdf"] + b"<script>alert(1)</script>"
    response = api_as(cso.members.get(), lang="th").post(
        f"/api/v1/csos/{cso.pk}/documents/",
        {"kind": "other", "file": SimpleUploadedFile("a.pdf", data, "application/pdf")},
        format="multipart",
    )
    error = assert_error(response, 400, "validation_error", fields=["file"])
    assert "เบราว์เซอร์" in error["fields"]["file"][0]
    assert not cso.documents.exists()


def test_a_pdf_made_from_a_web_page_with_links_is_accepted():
    # A certificate printed by WeasyPrint from HTML keeps no HTML and no active names.
    from weasyprint import HTML

    pdf = HTML(
        string='<html><body><h1>หนังสือรับรอง</h1><a href="https://example.org">ลิงก์</a></body></html>'
    ).write_pdf()
    assert check_upload(upload(pdf)) == "application/pdf"


@pytest.mark.django_db
def test_the_registration_page_refuses_a_pdf_with_javascript_and_says_why(client):
    cso = factories.CSOFactory(status=CSO.Status.DRAFT, documents=False)
    client.force_login(cso.members.get())
    client.cookies["django_language"] = "th"
    hostile = pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    response = client.post(
        "/registration/documents/",
        {"kind": "other", "file": SimpleUploadedFile("report.pdf", hostile, "application/pdf")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_file"' in page
    assert "ไฟล์ PDF นี้มี JavaScript" in page
    assert not cso.documents.exists()
