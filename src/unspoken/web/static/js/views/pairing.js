// The creator's side of pairing: share the link, wait, then check the joiner and decide.
// Approval is offered only once the joiner's key is proven to come from someone holding our
// link (key_mac); otherwise the screen refuses loudly.

import { h, show } from "../dom.js";
import { applyHand } from "../hands.js";
import { t, tParts } from "../i18n.js";
import { approve, decline, inspectJoiner, inviteLink, makeInvite } from "../pairing.js";
import { followNotebook } from "../stream.js";
import { errorLine, phraseBox, sheet, showError, waitingLine, working } from "./frame.js";
import { KIND } from "../protocol/records.js";

const PAIRING_KINDS = new Set([
  KIND.MEMBER_JOINED,
  KIND.MEMBER_DECLINED,
  KIND.MEMBER_APPROVED,
  KIND.PROFILE_UPDATED,
]);

export async function pairingView({ session, navigate, onLeave, stale }) {
  let showing = null;
  // Records arrive in bursts; redraw only when what should be on screen has changed.
  const present = (key, draw) => {
    if (showing !== key && !stale()) {
      showing = key;
      draw();
    }
  };
  // A joiner's arrival and their profile come a moment apart, and each redraws: one render at
  // a time, so one that began earlier cannot end later and show an older notebook.
  let rendering = Promise.resolve();
  const render = () => {
    rendering = rendering.then(renderOnce, renderOnce);
    return rendering;
  };
  const renderOnce = async () => {
    const notebook = await session.refresh();
    if (notebook.sealed) return navigate(`/n/${session.id}`);
    const joiner = session.partner();
    if (joiner?.state === "pending") {
      const inspected = await inspectJoiner(session, joiner);
      if (!inspected.keyMacOk) {
        return present(`refused:${joiner.id}`, () => refusedScreen(session, inspected, render));
      }
      if (!inspected.profile) return present(`opened:${joiner.id}`, openedScreen);
      return present(`approve:${joiner.id}:${joiner.profile.ct}`, () =>
        approveScreen(session, inspected, navigate, render),
      );
    }
    const invite = session.record.invite;
    if (!invite) return present("new-link", () => newLinkScreen(session, render));
    return present(`invite:${invite.id}`, () => inviteScreen(session));
  };
  await render();
  if (stale()) return;
  const stream = followNotebook({
    notebookId: session.id,
    token: session.token,
    after: session.notebook.head?.seq ?? 0,
    onRecord: (record) => PAIRING_KINDS.has(record.kind) && render().catch(console.error),
  });
  onLeave(() => stream.close());
}

function inviteScreen(session) {
  const link = inviteLink(session.record.invite);
  const field = h("input", {
    id: "invite-link",
    class: "field__input link__input",
    type: "text",
    readonly: true,
    value: link,
    onfocus: (event) => event.target.select(),
  });
  const copied = h("p", { class: "quiet link__copied", role: "status" });
  const copy = h("button", {
    type: "button",
    class: "button button--primary",
    text: t("pairing.copy"),
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(link);
        copied.textContent = t("pairing.copied");
      } catch {
        field.focus();
        copied.textContent = t("pairing.select");
      }
    },
  });
  const share =
    navigator.share &&
    h("button", {
      type: "button",
      class: "button",
      text: t("pairing.share"),
      onclick: () =>
        navigator
          .share({ title: "Unspoken", text: t("pairing.share_text"), url: link })
          .catch(() => {}),
    });
  show(
    sheet(
      { label: t("pairing.invite_title") },
      h("h1", { text: t("pairing.invite_title") }),
      h("p", { class: "lede", text: t("pairing.invite_lede") }),
      h(
        "div",
        { class: "field" },
        h("label", { for: field.id, class: "field__label", text: t("pairing.invite_link") }),
        field,
      ),
      h("div", { class: "actions" }, copy, share),
      copied,
      h("p", { class: "quiet", text: t("pairing.key_hint") }),
      waitingLine(t("pairing.waiting_open")),
    ),
  );
}

function openedScreen() {
  show(
    sheet(
      { label: t("pairing.joining") },
      h("h1", { text: t("pairing.opened_title") }),
      waitingLine(t("pairing.waiting_choose")),
    ),
  );
}

function approveScreen(session, joiner, navigate, render) {
  const { name, hand } = joiner.profile;
  const sample = h("p", { class: "preview__line", text: t("pairing.their_hand", { name }) });
  applyHand(sample, hand);
  const error = errorLine();
  const letIn = h("button", {
    type: "button",
    class: "button button--primary",
    text: t("pairing.let_in"),
    onclick: async () => {
      try {
        await working(letIn, t("pairing.letting_in"), () => approve(session, joiner));
        navigate(`/n/${session.id}`);
      } catch (failure) {
        showError(error, failure);
      }
    },
  });
  show(
    sheet(
      { label: t("pairing.approve_label") },
      h("h1", {}, t("pairing.approve_title", { name })),
      h("div", { class: "preview" }, sample),
      h(
        "p",
        { class: "lede" },
        tParts("pairing.approve_lede", { name: h("strong", { text: name }) }),
      ),
      phraseBox(joiner.phrase),
      h("p", { class: "quiet", text: t("pairing.approve_differ") }),
      error,
      h(
        "div",
        { class: "actions" },
        letIn,
        declineButton(session, joiner, t("pairing.not_them"), error, render),
      ),
    ),
  );
}

function refusedScreen(session, joiner, render) {
  const error = errorLine();
  show(
    sheet(
      { className: "sheet--alarm", label: t("pairing.refused_label") },
      h("h1", { text: t("pairing.refused_title") }),
      h("p", { class: "lede", role: "alert", text: t("pairing.refused_lede") }),
      h("p", { class: "quiet", text: t("pairing.refused_hint") }),
      error,
      h(
        "div",
        { class: "actions" },
        declineButton(session, joiner, t("pairing.turn_away"), error, render, true),
      ),
    ),
  );
}

function declineButton(session, joiner, label, error, render, primary = false) {
  const button = h("button", {
    type: "button",
    class: primary ? "button button--primary" : "button",
    text: label,
    onclick: async () => {
      try {
        await working(button, t("pairing.turning_away"), () => decline(session, joiner));
        await render();
      } catch (failure) {
        showError(error, failure);
      }
    },
  });
  return button;
}

function newLinkScreen(session, render) {
  const error = errorLine();
  const button = h("button", {
    type: "button",
    class: "button button--primary",
    text: t("pairing.new_link"),
    onclick: async () => {
      try {
        await working(button, t("pairing.making_link"), () => makeInvite(session));
        await render();
      } catch (failure) {
        showError(error, failure);
      }
    },
  });
  show(
    sheet(
      { label: t("pairing.invite_title") },
      h("h1", { text: t("pairing.invite_title") }),
      h("p", { class: "lede", text: t("pairing.new_link_lede") }),
      error,
      h("div", { class: "actions" }, button),
    ),
  );
}
