// Progressive enhancement only: every page works without JavaScript.
// Initialises the GOV.UK Frontend and MOJ Frontend components on the page (both files are ES
// modules built by `npm run build` into static/build/). htmx is loaded separately by base.html.
import { initAll as initGovukFrontend } from "../build/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../build/moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();
