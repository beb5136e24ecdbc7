// What every screen shares: the sheet of paper on the desk, the wordmark, and calm feedback
// (a status line, an error line, a button that shows it is working).

import { h } from "../dom.js";

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
  if (error?.name === "ApiError") {
    if (error.status === 410)
      return "This invite has already been used, was withdrawn, or expired. Ask for a new link.";
    return error.message;
  }
  if (error instanceof TypeError)
    return "We couldn’t reach the server. Check your connection and try again.";
  return error?.message || "Something went wrong.";
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
    { class: "phrase", "aria-label": "Safety phrase" },
    phrase.split(" ").map((word) => h("li", { class: "phrase__word", text: word })),
  );
}
