"""DOCX for the office to edit and sign: docxtpl fills the templates build_templates
made (Times New Roman, Decree 30's layout) with the words of wording.py."""

import io

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from .config import CERTIFICATE_TEMPLATE, DECISION_TEMPLATE, issuer
from .wording import certificate_context, decision_context


def render(template_path, context, *, emblem=None):
    template = DocxTemplate(template_path)
    if emblem is not None:
        context = {
            **context,
            "emblem": InlineImage(template, str(emblem), width=Mm(28)),
        }
    else:
        context = {**context, "emblem": ""}
    # autoescape: names with "&" or "<" stay text, not broken XML.
    template.render(context, autoescape=True)
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()


def decision_docx(document):
    """The recognition or revocation decision as a .docx file's bytes."""
    return render(DECISION_TEMPLATE, decision_context(document, issuer()))


def certificate_docx(document):
    """One unit's certificate (landscape, one page) as a .docx file's bytes."""
    configured = issuer()
    return render(
        CERTIFICATE_TEMPLATE,
        certificate_context(document, configured),
        emblem=configured.emblem,
    )
