// Opening an invite link: read the secret from the fragment, wipe it from the address bar at
// once, then claim with a fresh device key. Until the claim, the secret (and the name typed) is
// kept in this tab's session storage, so a reload before joining finds it again; it is never
// sent anywhere, and it is forgotten as soon as the claim succeeds.

import { h, show } from "../dom.js";
import { t } from "../i18n.js";
import { claim } from "../pairing.js";
import { b64decode } from "../protocol/encoding.js";
import { errorLine, sheet, showError, working } from "./frame.js";
import { handForm } from "./hand_form.js";
import { languageSwitch } from "./language.js";

// This tab's keeping of a link's secret and the name typed, by the link's path.
const kept = (what) => `unspoken/${what}${location.pathname}`;

function tabStore(action) {
  try {
    return action(sessionStorage);
  } catch {
    return null; // storage refused: a reload then asks for the link again, as before
  }
}

/**
 * Read and erase the fragment; call once, as early as possible. {secret, damaged}: the
 * secret, or null — `damaged` when there was something after the # but not a secret.
 */
export function takeInviteSecret() {
  const fragment = location.hash.slice(1);
  if (fragment) history.replaceState(history.state, "", location.pathname + location.search);
  const text = fragment || tabStore((s) => s.getItem(kept("secret"))) || "";
  if (!text) return { secret: null, damaged: false };
  let secret = null;
  try {
    secret = b64decode(text);
  } catch {
    // not base64url at all: damaged, as below
  }
  if (secret?.length === 32) {
    tabStore((s) => s.setItem(kept("secret"), text));
    return { secret, damaged: false };
  }
  tabStore((s) => s.removeItem(kept("secret")));
  return { secret: null, damaged: true };
}

function forgetInvite() {
  tabStore((s) => {
    s.removeItem(kept("secret"));
    s.removeItem(kept("name"));
  });
}

export function joinView({ inviteId, secret, damaged, navigate }) {
  if (!secret) {
    const [title, lede] = damaged
      ? [t("join.damaged_title"), t("join.damaged_lede")]
      : [t("join.missing_title"), t("join.missing_lede")];
    show(
      sheet(
        { label: t("join.invite") },
        languageSwitch(),
        h("h1", { text: title }),
        h("p", { class: "lede", text: lede }),
        h("p", { class: "quiet", text: t("join.missing_hint") }),
      ),
    );
    return;
  }
  const form = handForm({ hand: "dancing", ink: "bordeaux", name: tabStore((s) => s.getItem(kept("name"))) ?? "" });
  form.element.addEventListener("input", () => tabStore((s) => s.setItem(kept("name"), form.value().name)));
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
      forgetInvite();
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
