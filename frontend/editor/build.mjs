// Builds static/vendor/tiptap/editor.bundle.js (one minified IIFE exposing
// window.KieumauEditor) and static/vendor/tiptap/LICENSES.txt (the licence of every
// package that went into it, read from node_modules). Run by `make editor-bundle`.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, "../../static/vendor/tiptap");
mkdirSync(out, { recursive: true });

const result = await esbuild.build({
  entryPoints: [join(here, "src/index.js")],
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "KieumauEditor",
  target: ["es2020"],
  legalComments: "none",
  metafile: true,
  outfile: join(out, "editor.bundle.js"),
});

// The packages whose files are in the bundle: node_modules/<name> or node_modules/@scope/<name>.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.add(match[1]);
}

const sections = [];
for (const name of [...packages].sort()) {
  const folder = join(here, "node_modules", name);
  const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const licenceFile = readdirSync(folder).find((file) => /^licen[cs]e/i.test(file));
  if (!licenceFile) throw new Error(`no licence file in ${name}`);
  const text = readFileSync(join(folder, licenceFile), "utf8").trim();
  sections.push(`${name} ${meta.version} (${meta.license})\n${"=".repeat(60)}\n\n${text}\n`);
}
const header =
  "Licences of the packages bundled into editor.bundle.js (from the npm registry,\n" +
  "built by frontend/editor/build.mjs).\n\n";
writeFileSync(join(out, "LICENSES.txt"), header + sections.join("\n\n"));
console.log(`editor.bundle.js: ${packages.size} packages; LICENSES.txt written`);
