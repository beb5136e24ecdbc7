// Opening an invite link: read the secret from the fragment, wipe it from the address bar at
// once, then claim with a fresh device key. Until the claim, the secret (and the name typed) is
// kept in this tab's session storage, so a reload before joining finds it again; it is never
// sent anywhere, and it is forgotten as soon as the claim succeeds.

import { h, show } from "../dom.js";
import { applyHand } from "../hands.js";
import { t, tParts } from "../i18n.js";
import { claim, lookAtInvite } from "../pairing.js";
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

/** A sheet that says why this link cannot be used, and what to do instead. */
function refusedSheet(title, lede, hint) {
  show(
    sheet(
      { label: t("join.invite") },
      languageSwitch(),
      h("h1", { text: title }),
      h("p", { class: "lede", text: lede }),
      h("p", { class: "quiet", text: hint }),
    ),
  );
}

/** What the server said of the link before the form, as a sheet; null when the form may show. */
function refusal(failure) {
  if (failure?.name !== "ApiError") return null; // unreachable: the claim will say so later
  if (failure.status === 404) {
    return [t("join.unknown_title"), t("join.unknown_lede"), t("join.missing_hint")];
  }
  if (failure.status === 410) {
    const slug = String(failure.problem?.type ?? "").split(":").pop();
    const lede = { "invite-used": "join.used_lede", "invite-revoked": "join.revoked_lede", "invite-expired": "join.expired_lede" }[slug] ?? "join.used_lede";
    return [t("join.gone_title"), t(lede), t("join.gone_hint")];
  }
  return null;
}

export async function joinView({ inviteId, secret, damaged, navigate }) {
  if (!secret) {
    const [title, lede] = damaged
      ? [t("join.damaged_title"), t("join.damaged_lede")]
      : [t("join.missing_title"), t("join.missing_lede")];
    refusedSheet(title, lede, t("join.missing_hint"));
    return;
  }
  // Before the form: a used, withdrawn or changed link is refused now, not once it is filled in.
  show(
    sheet(
      { label: t("join.label") },
      h("p", { class: "lede", role: "status", text: t("join.checking") }),
    ),
  );
  let inviter = null;
  try {
    ({ inviter } = await lookAtInvite(inviteId, secret));
  } catch (failure) {
    const refused = refusal(failure);
    if (refused) {
      forgetInvite();
      refusedSheet(...refused);
      return;
    }
  }
  if (location.pathname !== `/join/${inviteId}`) return; // the person went elsewhere meanwhile

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

  // The inviter's name comes from the sealed greeting, which only the link opens: never from
  // the server. Shown in their own hand, as they chose it.
  const name = inviter ? h("span", { class: "join__inviter", text: inviter.name }) : null;
  if (name && inviter.hand) {
    applyHand(name, inviter.hand);
    name.style.fontSize = "1.15em"; // a hand's own size is for pages; in a heading, the heading's
  }
  const title = inviter
    ? h("h1", { id: "join-title" }, ...tParts("join.title_from", { name }))
    : h("h1", { id: "join-title", text: t("join.title") });
  const lede = inviter ? t("join.lede_from") : t("join.lede");
  show(
    sheet(
      { label: t("join.label") },
      languageSwitch(),
      title,
      h("p", { class: "lede", text: lede }),
      h("p", { class: "quiet", id: "join-hint", text: t("join.hint") }),
      h(
        "form",
        { class: "form", onsubmit, novalidate: true, "aria-labelledby": "join-title", "aria-describedby": "join-hint" },
        form.element,
        error,
        h("div", { class: "actions" }, button),
      ),
    ),
  );
}
