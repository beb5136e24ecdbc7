// What every screen shares: the sheet of paper on the desk, the wordmark, and calm feedback
// (a status line, an error line, a button that shows it is working).

import { h } from "../dom.js";
import { known, t } from "../i18n.js";

export function sheet({ className = "", label }, ...children) {
  return h(
    "article",
    { class: `sheet ${className}`.trim(), "aria-label": label },
    h("p", { class: "wordmark" }, h("a", { href: "/", text: "Unspoken" })),
    ...children,
  );
}

export function errorLine() {
  return h("p", { class: "error", role: "alert", hidden: true });
}

export function showError(line, error) {
  line.hidden = false;
  line.textContent = plainWords(error);
}

/** Turn what went wrong into a sentence a person can act on. */
export function plainWords(error) {
  if (error?.name === "ApiError") return problemWords(error);
  if (error instanceof TypeError) return t("common.unreachable");
  return error?.message ? reasonWords(error.message) : t("common.something_wrong_sentence");
}

/**
 * A refusal from the server, in the reader's language: its problem type (the slug of its
 * title, docs/protocol.md) names a sentence in the catalogue; an unknown one keeps the
 * server's own English detail rather than say nothing.
 */
function problemWords(error) {
  const slug = String(error.problem?.type ?? "").split(":").pop();
  const key = `problems.${slug.replaceAll("-", "_")}`;
  return slug && known(key) ? t(key) : error.message;
}

/**
 * Why something did not verify ("it is out of place in the chain; …"), in the reader's
 * language: each reason the code gives has a sentence in the "trust" catalogue, keyed by its
 * English words; a reason without one (from the browser itself) is shown as it came.
 */
export function reasonWords(reason) {
  return String(reason ?? "")
    .split("; ")
    .map((part) => {
      const key = `trust.${part.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "")}`;
      return known(key) ? t(key) : part;
    })
    .join("; ");
}

/** Run an action with its button disabled and saying what is happening. */
export async function working(button, busyText, action) {
  const idle = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = busyText;
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = idle;
  }
}

export function waitingLine(text) {
  return h(
    "p",
    { class: "waiting", role: "status" },
    h("span", { class: "waiting__dot", "aria-hidden": "true" }),
    text,
  );
}

/** The eight words, two rows of four, easy to read aloud and compare. */
export function phraseBox(phrase) {
  return h(
    "ol",
    { class: "phrase", "aria-label": t("common.safety_phrase") },
    phrase.split(" ").map((word) => h("li", { class: "phrase__word", text: word })),
  );
}
