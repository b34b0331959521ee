// Starts govuk-frontend components and sends the CSRF token with every htmx request.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "/static/moj/moj-frontend.min.js";

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

// govuk-frontend marks a radio that reveals a question with aria-expanded, which ARIA 1.2 does not
// allow on a radio (axe: aria-allowed-attr). The revealed question follows the radio in reading
// order, so the attribute is dropped whenever it is set.
const expandedOnRadios = new MutationObserver((changes) => {
  for (const change of changes) {
    if (change.target.type === "radio" && change.target.hasAttribute("aria-expanded")) {
      change.target.removeAttribute("aria-expanded");
    }
  }
});

function withoutExpandedRadios(scope) {
  for (const radio of scope.querySelectorAll('input[type="radio"][aria-expanded]')) {
    radio.removeAttribute("aria-expanded");
  }
}

linkDateErrorsToInputs(document);
initAll();
initMoj();
withoutExpandedRadios(document);
expandedOnRadios.observe(document.body, { attributes: true, attributeFilter: ["aria-expanded"], subtree: true });

document.body.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});

// After htmx swaps in new content, start any govuk-frontend and MOJ components inside it, then
// move focus: to an error summary if one arrived (govuk-frontend's error summary focuses itself
// when it starts), or else to the updated section's heading, whose status banner is announced.
document.body.addEventListener("htmx:afterSwap", (event) => {
  const id = event.detail.target.id;
  const scope = (id && document.getElementById(id)) || event.detail.target;
  linkDateErrorsToInputs(scope);
  initAll({ scope });
  initMoj({ scope });
  withoutExpandedRadios(scope);
  const summary = scope.querySelector(".govuk-error-summary");
  if (summary) {
    summary.focus();
    return;
  }
  const heading = scope.querySelector("h2[tabindex='-1'], h3[tabindex='-1']");
  if (heading && scope.querySelector("[data-section-saved]")) {
    heading.focus();
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
