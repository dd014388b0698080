"""The article body's editor in the admin: a Tiptap toolbar over a hidden textarea.

The textarea keeps the body's HTML and is posted as before, so the server-side
sanitiser (news/sanitize.py, run by Article.save) stays the last word. Without
JavaScript the textarea is shown as it always was. The Tiptap bundle is built from
frontend/editor/ (`make editor-bundle`); the toolbar, dialogs, upload and preview are
static/js/article_editor.js. Uploads and previews go to news/editor_views.py.
"""

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse


class ArticleBodyWidget(forms.Textarea):
    # In the project's templates/, which Django's default form renderer does not
    # search: the textarea itself is rendered by Django, the editor around it here.
    editor_template_name = "news/admin/article_body_widget.html"

    class Media:
        css = {"all": ["css/article_editor.css"]}
        js = ["vendor/tiptap/editor.bundle.js", "js/article_editor.js"]

    def __init__(self, attrs=None):
        super().__init__({"rows": 24, "cols": 100, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        textarea = super().render(name, value, attrs, renderer)
        context = {
            "textarea": textarea,
            "id": (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}",
            "upload_url": reverse("admin:news_article_body_image"),
            "preview_url": reverse("admin:news_article_body_preview"),
        }
        return render_to_string(self.editor_template_name, context)
