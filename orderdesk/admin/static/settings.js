// Settings pages' small behaviours (a file, not inline, so the Content-Security-Policy can say script-src 'self').
// A notification template's live preview: after htmx has checked the edit (its subject and any
// problem appear beside the form), the rendered email is reloaded in the sandboxed preview frame
// by submitting the form to it; the page itself stays where it is.
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-live-preview") || !event.detail.successful) return;
  const button = form.querySelector("button[data-preview-frame]");
  if (button) form.requestSubmit(button);
});
// Copy a secret shown once (a new token, a signing secret, a password) with its button.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (source && navigator.clipboard) {
    navigator.clipboard.writeText(source.textContent.trim()).then(() => { button.textContent = "Copied"; });
  }
});
