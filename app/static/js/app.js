// Starts govuk-frontend components and sends the CSRF token with every htmx request.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

// Error summary links to a date field point at its group (#received_on), which cannot take focus:
// send them to the group's first input with an error, as the GOV.UK pattern does, so following
// the link puts the cursor in the field.
function linkDateErrorsToInputs(scope) {
  for (const link of scope.querySelectorAll('.govuk-error-summary a[href^="#"]')) {
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (target && target.classList.contains("govuk-date-input")) {
      const input = target.querySelector("input.govuk-input--error") || target.querySelector("input");
      if (input && input.id) {
        link.hash = input.id;
      }
    }
  }
}

linkDateErrorsToInputs(document);
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
  linkDateErrorsToInputs(event.detail.target);
  initAll({ scope: event.detail.target });
  const summary = event.detail.target.querySelector(".govuk-error-summary");
  if (summary) {
    summary.focus();
  }
});
