// Starts govuk-frontend components and sends the CSRF token with every htmx request.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

document.body.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});

// After htmx swaps in new content, start any govuk-frontend components inside it
// and move focus to an error summary if one arrived.
document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.detail.target });
  const summary = event.detail.target.querySelector(".govuk-error-summary");
  if (summary) {
    summary.focus();
  }
});
