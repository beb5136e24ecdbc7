// The creator's side of pairing: share the link, wait, then check the joiner and decide.
// Approval is offered only once the joiner's key is proven to come from someone holding our
// link (key_mac); otherwise the screen refuses loudly.

import { h, show } from "../dom.js";
import { applyHand } from "../hands.js";
import { approve, decline, inspectJoiner, inviteLink, makeInvite } from "../pairing.js";
import { followNotebook } from "../stream.js";
import { errorLine, phraseBox, sheet, showError, waitingLine, working } from "./frame.js";

const PAIRING_KINDS = new Set([
  "member.joined",
  "member.declined",
  "member.approved",
  "profile.updated",
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
  const render = async () => {
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
    text: "Copy the link",
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(link);
        copied.textContent = "Copied. Send it to your partner, and only to them.";
      } catch {
        field.focus();
        copied.textContent = "Select the link above and copy it.";
      }
    },
  });
  const share =
    navigator.share &&
    h("button", {
      type: "button",
      class: "button",
      text: "Share…",
      onclick: () =>
        navigator
          .share({ title: "Unspoken", text: "A notebook for the two of us", url: link })
          .catch(() => {}),
    });
  show(
    sheet(
      { label: "Invite your partner" },
      h("h1", { text: "Invite your partner" }),
      h("p", {
        class: "lede",
        text:
          "Send this link to your partner, privately. It works once, for " +
          "one person, and lasts a day.",
      }),
      h(
        "div",
        { class: "field" },
        h("label", { for: field.id, class: "field__label", text: "Invite link" }),
        field,
      ),
      h("div", { class: "actions" }, copy, share),
      copied,
      h("p", {
        class: "quiet",
        text: "The part after the # is the key. It never reaches our server.",
      }),
      waitingLine("Waiting for your partner to open it…"),
    ),
  );
}

function openedScreen() {
  show(
    sheet(
      { label: "Your partner is joining" },
      h("h1", { text: "Someone opened your link" }),
      waitingLine("Waiting for them to choose their name and hand…"),
    ),
  );
}

function approveScreen(session, joiner, navigate, render) {
  const { name, hand } = joiner.profile;
  const sample = h("p", { class: "preview__line", text: `${name}, in their own hand.` });
  applyHand(sample, hand);
  const error = errorLine();
  const letIn = h("button", {
    type: "button",
    class: "button button--primary",
    text: "Let them in",
    onclick: async () => {
      try {
        await working(letIn, "Letting them in…", () => approve(session, joiner));
        navigate(`/n/${session.id}`);
      } catch (failure) {
        showError(error, failure);
      }
    },
  });
  show(
    sheet(
      { label: "Let your partner in" },
      h("h1", {}, `${name} opened your link`),
      h("div", { class: "preview" }, sample),
      h(
        "p",
        { class: "lede" },
        "Before you let them in, check together — in person or on a call — that ",
        h("strong", { text: name }),
        "’s screen shows these same eight words:",
      ),
      phraseBox(joiner.phrase),
      h("p", {
        class: "quiet",
        text:
          "If the words differ, someone may be sitting between you. " +
          "Turn them away and make a new link.",
      }),
      error,
      h(
        "div",
        { class: "actions" },
        letIn,
        declineButton(session, joiner, "This isn’t them", error, render),
      ),
    ),
  );
}

function refusedScreen(session, joiner, render) {
  const error = errorLine();
  show(
    sheet(
      { className: "sheet--alarm", label: "Do not let them in" },
      h("h1", { text: "Someone answered your link, but we can’t trust them" }),
      h("p", {
        class: "lede",
        role: "alert",
        text:
          "The key that came back was not made with your link’s secret. " +
          "Someone may be trying to listen in: this notebook will not let them in.",
      }),
      h("p", {
        class: "quiet",
        text: "Turn them away, then make a new link and send it to your partner another way.",
      }),
      error,
      h(
        "div",
        { class: "actions" },
        declineButton(session, joiner, "Turn them away", error, render, true),
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
        await working(button, "Turning them away…", () => decline(session, joiner));
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
    text: "Make a new link",
    onclick: async () => {
      try {
        await working(button, "Making a new link…", () => makeInvite(session));
        await render();
      } catch (failure) {
        showError(error, failure);
      }
    },
  });
  show(
    sheet(
      { label: "Invite your partner" },
      h("h1", { text: "Invite your partner" }),
      h("p", {
        class: "lede",
        text: "The last link is closed. Make a new one, and send it to your partner privately.",
      }),
      error,
      h("div", { class: "actions" }, button),
    ),
  );
}
