// Opening an invite link: read the secret from the fragment, wipe it from the address bar at
// once, then claim with a fresh device key. The secret stays only in this page's memory.

import { h, show } from "../dom.js";
import { claim } from "../pairing.js";
import { b64decode } from "../protocol/encoding.js";
import { errorLine, sheet, showError, working } from "./frame.js";
import { handForm } from "./hand_form.js";

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
        { label: "Invite" },
        h("h1", { text: "This link is missing its secret part" }),
        h("p", {
          class: "lede",
          text:
            "The end of an invite link, after the #, holds the key to the notebook. " +
            "This address doesn’t have it: the page wipes it from the address bar " +
            "as soon as it has read it.",
        }),
        h("p", {
          class: "quiet",
          text: "Open the link again exactly as you received it, or ask your partner for a new one.",
        }),
      ),
    );
    return;
  }
  const form = handForm({ hand: "dancing", ink: "bordeaux" });
  const error = errorLine();
  const button = h("button", {
    type: "submit",
    class: "button button--primary",
    text: "Join the notebook",
  });

  const onsubmit = async (event) => {
    event.preventDefault();
    const profile = form.value();
    if (!profile.name) return form.focus();
    error.hidden = true;
    try {
      const session = await working(button, "Opening the invite…", () =>
        claim(inviteId, secret, profile),
      );
      navigate(`/n/${session.id}`);
    } catch (failure) {
      showError(error, failure);
    }
  };

  show(
    sheet(
      { label: "Join a notebook" },
      h("h1", { text: "You’re invited to share a notebook" }),
      h("p", {
        class: "lede",
        text:
          "Someone who trusts you has begun a notebook for the two of " +
          "you: one pen, passed back and forth.",
      }),
      h("p", {
        class: "quiet",
        text:
          "Choose how your pages will look. They’ll let you in once you " +
          "both see the same eight words.",
      }),
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
