// Opening an invite link: read the secret from the fragment, wipe it from the address bar at
// once, then claim with a fresh device key. The secret stays only in this page's memory.

import { h, show } from "../dom.js";
import { t } from "../i18n.js";
import { claim } from "../pairing.js";
import { b64decode } from "../protocol/encoding.js";
import { errorLine, sheet, showError, working } from "./frame.js";
import { handForm } from "./hand_form.js";
import { languageSwitch } from "./language.js";

/** Read and erase the fragment; call once, as early as possible. */
export function takeInviteSecret() {
  const fragment = location.hash.slice(1);
  if (fragment) history.replaceState(history.state, "", location.pathname + location.search);
  try {
    const secret = b64decode(fragment);
    return secret.length === 32 ? secret : null;
  } catch {
    return null;
  }
}

export function joinView({ inviteId, secret, navigate }) {
  if (!secret) {
    show(
      sheet(
        { label: t("join.invite") },
        languageSwitch(),
        h("h1", { text: t("join.missing_title") }),
        h("p", { class: "lede", text: t("join.missing_lede") }),
        h("p", { class: "quiet", text: t("join.missing_hint") }),
      ),
    );
    return;
  }
  const form = handForm({ hand: "dancing", ink: "bordeaux" });
  const error = errorLine();
  const button = h("button", {
    type: "submit",
    class: "button button--primary",
    text: t("join.button"),
  });

  const onsubmit = async (event) => {
    event.preventDefault();
    const profile = form.value();
    if (!profile.name) return form.focus();
    error.hidden = true;
    try {
      const session = await working(button, t("join.opening"), () =>
        claim(inviteId, secret, profile),
      );
      navigate(`/n/${session.id}`);
    } catch (failure) {
      showError(error, failure);
    }
  };

  show(
    sheet(
      { label: t("join.label") },
      languageSwitch(),
      h("h1", { text: t("join.title") }),
      h("p", { class: "lede", text: t("join.lede") }),
      h("p", { class: "quiet", text: t("join.hint") }),
      h(
        "form",
        { class: "form", onsubmit, novalidate: true },
        form.element,
        error,
        h("div", { class: "actions" }, button),
      ),
    ),
  );
}
