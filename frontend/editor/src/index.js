// The article editor's Tiptap set-up, bundled into static/vendor/tiptap/editor.bundle.js
// (`make editor-bundle`). The schema keeps only what news/sanitize.py keeps, and
// nothing it renders carries a style attribute: the site's CSP has no
// 'unsafe-inline' for styles (Tiptap's own CSS ships in static/css/article_editor.css,
// hence injectCSS: false). The toolbar, dialogs, upload and preview are project code
// in static/js/article_editor.js, which calls window.KieumauEditor.create().
import { Editor, mergeAttributes } from "@tiptap/core";
import Image from "@tiptap/extension-image";
import Link from "@tiptap/extension-link";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import StarterKit from "@tiptap/starter-kit";

const LINK_PROTOCOLS = ["http:", "https:", "mailto:"];

export function isAllowedHref(href) {
  try {
    return LINK_PROTOCOLS.includes(new URL(href).protocol);
  } catch {
    return false;
  }
}

// A table without the inline width styles Tiptap writes (blocked by the CSP and
// dropped by the sanitiser anyway).
const PlainTable = Table.extend({
  renderHTML({ HTMLAttributes }) {
    const attrs = { ...HTMLAttributes };
    delete attrs.style;
    return ["table", mergeAttributes(this.options.HTMLAttributes, attrs), ["tbody", 0]];
  },
});

// Cells without the text-align style attribute.
function withoutAlign(cell) {
  return cell.extend({
    addAttributes() {
      const attributes = { ...this.parent?.() };
      delete attributes.align;
      return attributes;
    },
  });
}

const STYLE_ELEMENT = /<style[\s\S]*?<\/style\s*>/gi;
const START_TAG = /<[a-z][^>]*>/gi;
const STYLE_ATTRIBUTE = /\sstyle\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)/gi;

// Word (desktop) writes a list as paragraphs, each with its level in a style and its
// bullet or number as text in a span Word itself ignores: made real lists again,
// nested by level, numbered when the marker reads like "1." or "a)".
function wordListsToLists(doc) {
  let stack = [];
  doc.body.querySelectorAll("p[data-mso-list]").forEach((p) => {
    const level = Number(p.getAttribute("data-mso-list")) || 1;
    const marker = p.querySelector("[data-mso-ignore]");
    const ordered = !!marker && /^[0-9a-z]{1,4}[.)]$/i.test(marker.textContent.replace(/\s+/g, ""));
    if (marker) marker.remove();
    if (!stack.length || p.previousElementSibling !== stack[0].list) stack = [];
    while (stack.length && stack[stack.length - 1].level > level) stack.pop();
    let top = stack[stack.length - 1];
    if (!top || top.level < level) {
      const list = doc.createElement(ordered ? "ol" : "ul");
      if (top) (top.list.lastElementChild || top.list).appendChild(list);
      else p.before(list);
      top = { level, list };
      stack.push(top);
    }
    const item = doc.createElement("li");
    item.append(...Array.from(p.childNodes));
    top.list.appendChild(item);
    p.remove();
  });
  doc.body.querySelectorAll("[data-mso-list], [data-mso-ignore]").forEach((el) => {
    el.removeAttribute("data-mso-list");
    el.removeAttribute("data-mso-ignore");
  });
}

// Word's clipboard HTML reduced before Tiptap parses it: comments and conditional
// comments, <o:p> and other namespaced tags, <style>/<meta>/<link>, class and style
// attributes (mso-*), <font> and <span>; its list paragraphs made lists; an <h1>
// becomes an <h2> (the page's title is the h1).
export function cleanPastedHTML(html) {
  // Even an inert document applies the page's CSP to what it parses: style
  // elements and attributes go before parsing, or each one logs a violation.
  // What Word says in styles about its lists is kept as data attributes.
  const unstyled = html.replace(STYLE_ELEMENT, "").replace(START_TAG, (tag) => {
    const item = /mso-list:\s*(l\d+)\s+level(\d+)/i.exec(tag);
    const mark = item
      ? ` data-mso-list="${item[2]}"`
      : /mso-list:\s*ignore/i.test(tag)
        ? " data-mso-ignore"
        : "";
    return tag.replace(STYLE_ATTRIBUTE, "").replace(/\s*\/?>$/, (end) => mark + end);
  });
  const doc = new DOMParser().parseFromString(unstyled, "text/html");
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((node) => node.remove());
  doc.body.querySelectorAll("style, meta, link, script, xml, title").forEach((el) => el.remove());
  wordListsToLists(doc);
  // Namespaced Word tags (<o:p>, <v:shape>, <w:…>) and <font>: keep their text.
  Array.from(doc.body.querySelectorAll("*")).forEach((el) => {
    const name = el.tagName.toLowerCase();
    if (name.includes(":") || name === "font" || name === "span") {
      el.replaceWith(...Array.from(el.childNodes));
    }
  });
  doc.body.querySelectorAll("*").forEach((el) => {
    el.removeAttribute("style");
    el.removeAttribute("class");
    el.removeAttribute("lang");
    el.removeAttribute("align");
    if (/^(TABLE|TD|TH|TR|COL)$/.test(el.tagName)) {
      el.removeAttribute("width");
      el.removeAttribute("height");
    }
  });
  // Images of a Word clipboard point at the writer's disk (file:///…): they are
  // uploaded through the toolbar instead, with their alt text.
  doc.body.querySelectorAll("img").forEach((img) => {
    if (!/^https?:/i.test(img.getAttribute("src") || "")) img.remove();
  });
  doc.body.querySelectorAll("h1").forEach((h1) => {
    const h2 = doc.createElement("h2");
    h2.append(...Array.from(h1.childNodes));
    h1.replaceWith(h2);
  });
  return doc.body.innerHTML;
}

export function create(element, { content = "", attributes = {}, onUpdate, onSelectionUpdate } = {}) {
  return new Editor({
    element,
    content,
    injectCSS: false,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        code: false,
        codeBlock: false,
        horizontalRule: false,
        link: false,
      }),
      Link.configure({
        openOnClick: false,
        autolink: true,
        protocols: ["mailto"],
        defaultProtocol: "https",
        HTMLAttributes: { target: null, rel: null, class: null },
        isAllowedUri: (url) => isAllowedHref(url),
      }),
      Image.configure({ inline: false, allowBase64: false }),
      PlainTable.configure({ resizable: false }),
      TableRow,
      withoutAlign(TableHeader),
      withoutAlign(TableCell),
    ],
    editorProps: {
      attributes,
      transformPastedHTML: cleanPastedHTML,
    },
    onUpdate,
    onSelectionUpdate,
  });
}
