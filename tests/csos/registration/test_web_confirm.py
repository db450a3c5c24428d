"""Removing a registration document is asked on a page of its own (portal.confirm): the
file is named, nothing is deleted on GET, the POST from it deletes it, and a registration
that can no longer change says so without the button."""

import pytest
from django.conf import settings
from django.urls import reverse

from csos.models import CSO
from csos.registration import services as registration_services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def add_document(cso):
    return registration_services.cso_document_add(
        cso=cso,
        user=cso.members.get(),
        kind="other",
        upload=factories.sample_file(
            "registration.pdf", as_name="minutes.pdf", content_type="application/pdf"
        ),
    )


def test_removing_a_document_is_asked_then_done(en):
    cso = factories.CSOFactory(status=CSO.Status.DRAFT, documents=False)
    document = add_document(cso)
    url = reverse("registration-document-delete", args=[document.pk])
    en.force_login(cso.members.get())
    assert f'href="{url}"' in en.get(reverse("registration-documents")).content.decode()

    page = en.get(url).content.decode()
    assert "Remove “minutes.pdf” from the registration?" in page
    assert "cannot be recovered" in page and "button button-danger" in page
    assert cso.documents.filter(pk=document.pk).exists()

    assert en.post(url).status_code == 302
    assert not cso.documents.filter(pk=document.pk).exists()


def test_a_submitted_registration_keeps_its_documents(en):
    cso = factories.CSOFactory(status=CSO.Status.DRAFT, documents=False)
    document = add_document(cso)
    CSO.objects.filter(pk=cso.pk).update(status=CSO.Status.SUBMITTED)
    url = reverse("registration-document-delete", args=[document.pk])
    en.force_login(cso.members.get())

    page = en.get(url).content.decode()
    assert "This cannot be done now:" in page and "Yes, remove the document" not in page
    en.post(url)
    assert cso.documents.filter(pk=document.pk).exists()

    en.force_login(factories.CSOFactory(status=CSO.Status.DRAFT).members.get())
    assert en.get(url).status_code == 404  # another organisation's document
