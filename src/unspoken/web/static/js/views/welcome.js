// "Begin a notebook": a name and a hand; the keys are made here and never leave this device.

import { h, show } from "../dom.js";
import { t } from "../i18n.js";
import { beginNotebook } from "../pairing.js";
import { errorLine, sheet, showError, working } from "./frame.js";
import { handForm } from "./hand_form.js";
import { openImportSheet } from "./keepsake_file.js";
import { languageSwitch } from "./language.js";

export function welcomeView({ navigate }) {
  const form = handForm({ hand: "garamond", ink: "midnight" });
  const error = errorLine();
  const button = h("button", {
    type: "submit",
    class: "button button--primary",
    text: t("welcome.begin"),
  });

  const onsubmit = async (event) => {
    event.preventDefault();
    const profile = form.value();
    if (!profile.name) return form.focus();
    error.hidden = true;
    try {
      const session = await working(button, t("welcome.making_keys"), () => beginNotebook(profile));
      navigate(`/n/${session.id}`);
    } catch (failure) {
      showError(error, failure);
    }
  };

  show(
    sheet(
      { label: t("welcome.title") },
      languageSwitch(),
      h("h1", { text: t("welcome.title") }),
      h("p", { class: "lede", text: t("welcome.lede") }),
      h("p", { class: "quiet", text: t("welcome.sealed") }),
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
        t("welcome.have_keepsake"),
        " ",
        h("button", { type: "button", class: "button button--quiet", text: t("welcome.open_keepsake"), onclick: openImportSheet }),
      ),
    ),
  );
}
