// Build the front-end assets into mispers/static/build/ (gitignored).
//
//   npm ci && npm run build
//
// Compiles mispers/static_src/scss/app.scss with the Sass JS API and copies the pinned
// JavaScript (GOV.UK Frontend, MOJ Frontend, htmx, cytoscape) and the images their CSS needs out of
// node_modules. Nothing here touches the network; everything comes from the packages that
// `npm ci` installed from package-lock.json. See docs/adr/0003-govuk-frontend-from-npm.md.

import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const out = join(root, "mispers", "static", "build");
const entry = join(root, "mispers", "static_src", "scss", "app.scss");

// Anything carrying the Royal crown, the royal coat of arms or the GOV.UK logotype stays out:
// this service is not on GOV.UK and must not look as if it were. (In govuk-frontend 6 every
// image in assets/images is one of these: the favicons and app icons are the crown mark.)
const BRANDED = /crown|logotype|crest|favicon|govuk-icon|opengraph|apple-touch-icon/i;

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  console.log(`  ${relative(root, to)}`);
}

function copyWithMap(from, to) {
  copy(from, to);
  // The minified files end with a sourceMappingURL comment; ship the map so the reference
  // resolves (a manifest static storage refuses to collect a file whose map is missing).
  if (existsSync(`${from}.map`)) copy(`${from}.map`, `${to}.map`);
}

function copyImages(fromDir, toDir) {
  const skipped = [];
  let copied = 0;
  for (const name of readdirSync(fromDir).sort()) {
    if (BRANDED.test(name)) {
      skipped.push(name);
      continue;
    }
    copy(join(fromDir, name), join(toDir, name));
    copied += 1;
  }
  console.log(`  ${copied} image(s) from ${relative(root, fromDir)}; left out ${skipped.length} branded: ${skipped.join(", ") || "none"}`);
}

// Warnings raised by code in node_modules (MOJ Frontend calling GOV.UK mixins that GOV.UK has
// since deprecated) are counted, not printed, so that a warning about our own Sass stands out.
// The culprit is the innermost stack frame outside GOV.UK's settings/helpers/tools, where the
// deprecated mixin or function lives.
const GOVUK_INTERNALS = /node_modules\/govuk-frontend\/dist\/govuk\/(settings|helpers|tools)\//;
let dependencyWarnings = 0;
const logger = {
  warn(message, options) {
    const frames = (options.stack ?? "").split("\n").filter((line) => line.trim());
    const culprit = frames.find((line) => !GOVUK_INTERNALS.test(line)) ?? "";
    if (culprit.includes("node_modules/")) {
      dependencyWarnings += 1;
      return;
    }
    console.warn(`Sass warning: ${message}\n${options.stack ?? options.span?.url ?? ""}`);
  },
};

console.log("Cleaning mispers/static/build/");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

console.log("Compiling Sass");
const result = sass.compile(entry, {
  // The root is a load path because MOJ Frontend forwards "node_modules/govuk-frontend/...".
  loadPaths: [root, modules],
  style: "compressed",
  quietDeps: true,
  logger,
});
writeFileSync(join(out, "app.css"), result.css);
console.log(`  mispers/static/build/app.css (${result.css.length} bytes)`);
if (dependencyWarnings) {
  console.log(`  (${dependencyWarnings} warning(s) from packages in node_modules suppressed)`);
}
for (const banned of ["GDS Transport", "@font-face"]) {
  if (result.css.includes(banned)) {
    throw new Error(`app.css contains "${banned}": the GOV.UK font must not be used`);
  }
}

console.log("Copying JavaScript");
const govuk = join(modules, "govuk-frontend", "dist", "govuk");
const moj = join(modules, "@ministryofjustice", "frontend", "moj");
copyWithMap(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
copyWithMap(join(moj, "moj-frontend.min.js"), join(out, "moj-frontend.min.js"));
copyWithMap(join(modules, "htmx.org", "dist", "htmx.min.js"), join(out, "htmx.min.js"));
// cytoscape.js draws the intelligence network (issue 14, ADR 50). Its ES module is copied as
// .js: Python's mimetypes (and so WhiteNoise) does not know .mjs, and a module served with the
// wrong type is refused by the browser under X-Content-Type-Options: nosniff.
copy(join(modules, "cytoscape", "dist", "cytoscape.esm.min.mjs"),
     join(out, "cytoscape.esm.min.js"));

console.log("Copying images");
copyImages(join(govuk, "assets", "images"), join(out, "govuk", "images"));
copyImages(join(moj, "assets", "images"), join(out, "moj", "images"));

console.log("Done.");
