"""The demo's documents: a dozen of the programme's, loaded once, files included."""

import io

import pytest

from doclibrary.demo import load_documents
from doclibrary.models import Document, DocumentKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_documents_load_once_with_their_pdf_files(client):
    assert load_documents(stdout=io.StringIO()) == 12
    assert load_documents(stdout=io.StringIO()) == 0
    documents = Document.objects.all()
    assert documents.count() == 12
    kinds = set(documents.values_list("kind", flat=True))
    assert {
        DocumentKind.QUYET_DINH,
        DocumentKind.KE_HOACH,
        DocumentKind.BAO_CAO,
    } <= kinds
    years = {d.year for d in documents.dates("issued_on", "year")}
    assert years == {2016, 2017}
    for document in documents:
        assert document.content_type == "application/pdf"
        assert document.file.read(5) == b"%PDF-"
        document.file.close()
    found = client.get("/van-ban/?q=quyet+dinh").context["documents"]
    assert {d.number for d in found} == {"1052/QĐ-UBND", "2310/QĐ-UBND"}
