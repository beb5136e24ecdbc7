// "Begin a notebook": a name and a hand; the keys are made here and never leave this device.

import { h, show } from "../dom.js";
import { beginNotebook } from "../pairing.js";
import { errorLine, sheet, showError, working } from "./frame.js";
import { handForm } from "./hand_form.js";
import { openImportSheet } from "./keepsake_file.js";

export function welcomeView({ navigate }) {
  const form = handForm({ hand: "garamond", ink: "midnight" });
  const error = errorLine();
  const button = h("button", {
    type: "submit",
    class: "button button--primary",
    text: "Begin the notebook",
  });

  const onsubmit = async (event) => {
    event.preventDefault();
    const profile = form.value();
    if (!profile.name) return form.focus();
    error.hidden = true;
    try {
      const session = await working(button, "Making your keys…", () => beginNotebook(profile));
      navigate(`/n/${session.id}`);
    } catch (failure) {
      showError(error, failure);
    }
  };

  show(
    sheet(
      { label: "Begin a notebook" },
      h("h1", { text: "Begin a notebook" }),
      h("p", {
        class: "lede",
        text:
          "A notebook for two, and one pen. Whoever holds it writes, " +
          "then passes the notebook.",
      }),
      h("p", {
        class: "quiet",
        text:
          "Your words are sealed on this device before they leave it. " +
          "Nobody else — not even our server — can read them.",
      }),
      h(
        "form",
        { class: "form", onsubmit, novalidate: true },
        form.element,
        error,
        h("div", { class: "actions" }, button),
      ),
      h(
        "p",
        { class: "quiet welcome__keepsake" },
        "Have a keepsake of a notebook? ",
        h("button", { type: "button", class: "button button--quiet", text: "Open a keepsake file", onclick: openImportSheet }),
      ),
    ),
  );
}
