// The article body's editor in the admin (news/editor.py): a toolbar, a link dialog,
// an image upload with its required alt text, and a preview, over the Tiptap bundle
// (static/vendor/tiptap/editor.bundle.js, window.KieumauEditor). The hidden textarea
// keeps the HTML and is posted with the form; the server's sanitiser has the last
// word. No inline script or style: everything is set through the DOM and CSSOM, so
// it runs under the site's CSP. Without the bundle, the plain textarea stays.
(function () {
  "use strict";

  var ACTIVE = {
    heading2: ["heading", { level: 2 }],
    heading3: ["heading", { level: 3 }],
    paragraph: ["paragraph"],
    bold: ["bold"],
    italic: ["italic"],
    bulletList: ["bulletList"],
    orderedList: ["orderedList"],
    blockquote: ["blockquote"],
    link: ["link"],
  };
  var TABLE_COMMANDS = ["addRowAfter", "deleteRow", "addColumnAfter", "deleteColumn", "deleteTable"];

  function csrfToken(root) {
    var form = root.closest("form");
    var input = (form || document).querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fieldValue(id) {
    var field = document.getElementById(id);
    return field ? field.value : "";
  }

  function setUp(root) {
    var textarea = root.querySelector("textarea");
    var area = root.querySelector("[data-editor-area]");
    var toolbar = root.querySelector("[role=toolbar]");
    var status = root.querySelector("[data-editor-status]");
    var editor;

    function sync() {
      textarea.value = editor.isEmpty ? "" : editor.getHTML();
    }

    var tableTools = root.querySelector("[data-table-tools]");

    function refresh() {
      // The table's tools are offered while the cursor is in a table.
      tableTools.hidden = !editor.isActive("table");
      toolbar.querySelectorAll("[data-command]").forEach(function (button) {
        var name = button.getAttribute("data-command");
        if (ACTIVE[name]) {
          var active = editor.isActive.apply(editor, ACTIVE[name]);
          button.setAttribute("aria-pressed", active ? "true" : "false");
        }
        if (TABLE_COMMANDS.indexOf(name) >= 0) {
          button.disabled = !editor.can()[name]();
        }
      });
    }

    editor = window.KieumauEditor.create(area, {
      content: textarea.value,
      attributes: {
        role: "textbox",
        "aria-multiline": "true",
        "aria-label": "Nội dung bài viết",
      },
      onUpdate: sync,
      onSelectionUpdate: refresh,
    });
    editor.on("transaction", refresh);
    textarea.hidden = true;
    area.hidden = false;
    toolbar.hidden = false;
    refresh();

    // The textarea changes only when the body is edited: an article opened and
    // saved without a change keeps its HTML byte for byte (a <figure> of an older
    // body, which the editor's schema has not, included).
    var linkDialog = root.querySelector("[data-link-dialog]");
    var linkUrl = root.querySelector("[data-link-url]");
    var linkError = root.querySelector("[data-link-error]");
    var imageDialog = root.querySelector("[data-image-dialog]");
    var imageFile = root.querySelector("[data-image-file]");
    var imageAlt = root.querySelector("[data-image-alt]");
    var imageError = root.querySelector("[data-image-error]");
    var imageSubmit = root.querySelector("[data-image-submit]");

    function openLinkDialog() {
      linkUrl.value = editor.getAttributes("link").href || "";
      linkError.textContent = "";
      linkDialog.showModal();
      linkUrl.focus();
    }

    function applyLink() {
      var url = linkUrl.value.trim();
      if (!url) {
        removeLink();
        return;
      }
      if (!/^[a-z]+:/i.test(url) && /^[^\s@/]+\.[^\s]+$/.test(url)) url = "https://" + url;
      if (/^[^\s:/]+@[^\s@]+\.[^\s@]+$/.test(url)) url = "mailto:" + url;
      if (!window.KieumauEditor.isAllowedHref(url)) {
        linkError.textContent = "Chỉ nhận địa chỉ bắt đầu bằng http://, https:// hoặc mailto:.";
        linkUrl.focus();
        return;
      }
      var chain = editor.chain().focus();
      if (editor.state.selection.empty && !editor.isActive("link")) {
        chain.insertContent({ type: "text", text: url, marks: [{ type: "link", attrs: { href: url } }] });
      } else {
        chain.extendMarkRange("link").setLink({ href: url });
      }
      chain.run();
      linkDialog.close();
    }

    function removeLink() {
      editor.chain().focus().extendMarkRange("link").unsetLink().run();
      linkDialog.close();
    }

    function openImageDialog() {
      imageFile.value = "";
      imageAlt.value = "";
      imageError.textContent = "";
      imageSubmit.disabled = false;
      imageDialog.showModal();
      imageFile.focus();
    }

    function uploadImage() {
      var alt = imageAlt.value.trim();
      if (!imageFile.files.length) {
        imageError.textContent = "Hãy chọn một tệp ảnh.";
        imageFile.focus();
        return;
      }
      if (!alt) {
        imageError.textContent = "Hãy nhập mô tả ảnh (alt) cho người khiếm thị.";
        imageAlt.focus();
        return;
      }
      var data = new FormData();
      data.append("image", imageFile.files[0]);
      data.append("alt", alt);
      imageSubmit.disabled = true;
      imageError.textContent = "";
      status.textContent = "Đang tải ảnh lên…";
      fetch(root.getAttribute("data-upload-url"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(root) },
      })
        .then(function (response) {
          return response.json().then(
            function (body) {
              return { ok: response.ok, body: body };
            },
            function () {
              return { ok: false, body: { error: "Máy chủ trả lời không đúng (" + response.status + ")." } };
            }
          );
        })
        .then(function (result) {
          imageSubmit.disabled = false;
          if (!result.ok) {
            status.textContent = "";
            imageError.textContent = result.body.error || "Không tải được ảnh lên.";
            return;
          }
          imageDialog.close();
          // The image and a paragraph after it, where the cursor goes on: writing
          // (or pasting) next does not replace the image just inserted.
          var attrs = { src: result.body.src, alt: result.body.alt, width: result.body.width, height: result.body.height };
          editor.chain().focus().insertContent([{ type: "image", attrs: attrs }, { type: "paragraph" }]).run();
          status.textContent = "Đã chèn ảnh.";
        })
        .catch(function () {
          imageSubmit.disabled = false;
          status.textContent = "";
          imageError.textContent = "Mất kết nối tới máy chủ; hãy thử lại.";
        });
    }

    function preview() {
      var form = document.createElement("form");
      form.method = "post";
      form.action = root.getAttribute("data-preview-url");
      form.target = "_blank";
      form.hidden = true;
      var fields = {
        csrfmiddlewaretoken: csrfToken(root),
        title: fieldValue("id_title"),
        lead: fieldValue("id_lead"),
        body: textarea.value,
      };
      Object.keys(fields).forEach(function (name) {
        var input = document.createElement("textarea");
        input.name = name;
        input.value = fields[name];
        form.appendChild(input);
      });
      document.body.appendChild(form);
      form.submit();
      form.remove();
    }

    var commands = {
      heading2: function () { editor.chain().focus().toggleHeading({ level: 2 }).run(); },
      heading3: function () { editor.chain().focus().toggleHeading({ level: 3 }).run(); },
      paragraph: function () { editor.chain().focus().setParagraph().run(); },
      bold: function () { editor.chain().focus().toggleBold().run(); },
      italic: function () { editor.chain().focus().toggleItalic().run(); },
      bulletList: function () { editor.chain().focus().toggleBulletList().run(); },
      orderedList: function () { editor.chain().focus().toggleOrderedList().run(); },
      blockquote: function () { editor.chain().focus().toggleBlockquote().run(); },
      link: openLinkDialog,
      image: openImageDialog,
      insertTable: function () {
        editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run();
      },
      addRowAfter: function () { editor.chain().focus().addRowAfter().run(); },
      deleteRow: function () { editor.chain().focus().deleteRow().run(); },
      addColumnAfter: function () { editor.chain().focus().addColumnAfter().run(); },
      deleteColumn: function () { editor.chain().focus().deleteColumn().run(); },
      deleteTable: function () { editor.chain().focus().deleteTable().run(); },
      undo: function () { editor.chain().focus().undo().run(); },
      redo: function () { editor.chain().focus().redo().run(); },
      preview: preview,
    };

    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-command]");
      if (button && !button.disabled && commands[button.getAttribute("data-command")]) {
        commands[button.getAttribute("data-command")]();
      }
    });

    // Ctrl+K (⌘K) opens the link dialog, as in word processors.
    area.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        openLinkDialog();
      }
    });

    root.querySelector("[data-link-apply]").addEventListener("click", applyLink);
    root.querySelector("[data-link-remove]").addEventListener("click", removeLink);
    imageSubmit.addEventListener("click", uploadImage);
    // Enter in a dialog's field acts on the dialog, never submits the article.
    linkUrl.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        applyLink();
      }
    });
    imageAlt.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        uploadImage();
      }
    });
    root.querySelectorAll("[data-dialog-cancel]").forEach(function (button) {
      button.addEventListener("click", function () {
        button.closest("dialog").close();
      });
    });
    [linkDialog, imageDialog].forEach(function (dialog) {
      dialog.addEventListener("close", function () {
        editor.commands.focus();
      });
    });
  }

  function start() {
    if (!window.KieumauEditor) return;
    document.querySelectorAll("[data-article-editor]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
