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

// A request htmx could not complete (the service busy or unreachable, 5xx, no network): nothing
// was swapped, so what the user typed is still in the form. Say so at the top of the form, as a
// GOV.UK error summary, and move focus to it.
function showRequestProblem(event) {
  const source = event.detail.elt;
  const form = source && (source.closest("form") || source);
  if (!form || !form.parentNode) {
    return;
  }
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  let summary = form.querySelector(":scope > .app-request-problem");
  if (!summary) {
    summary = document.createElement("div");
    summary.className = "govuk-error-summary app-request-problem";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    const title = document.createElement("h2");
    title.className = "govuk-error-summary__title";
    title.textContent = "There is a problem";
    const text = document.createElement("p");
    text.className = "govuk-body govuk-!-margin-bottom-0";
    summary.append(title, text);
    form.prepend(summary);
  }
  const reason = status === 503 || status === 0
    ? "The service is busy or could not be reached, so nothing was saved."
    : "Something went wrong, so nothing was saved.";
  summary.querySelector("p").textContent = reason + " What you typed is still here: try again in a moment.";
  summary.focus();
}

document.body.addEventListener("htmx:responseError", showRequestProblem);
document.body.addEventListener("htmx:sendError", showRequestProblem);
