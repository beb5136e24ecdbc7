// The joiner's side of pairing: claimed, profile sealed, now pending until the creator lets
// them in. The creator's name is shown only if their profile is signed by the key from the
// invite bundle, so the server cannot put a stranger's name here.

import { h, show } from "../dom.js";
import { phraseWithPartner } from "../pairing.js";
import { forgetNotebook } from "../store.js";
import { followNotebook } from "../stream.js";
import { phraseBox, sheet, waitingLine } from "./frame.js";

export async function waitingView({ session, navigate, onLeave, stale }) {
  const creator = session.partner();
  let name = null;
  try {
    name = (await session.profileOf(creator))?.name ?? null;
  } catch {
    return untrustedScreen(session, navigate);
  }
  const phrase = await phraseWithPartner(session);
  if (stale()) return;
  const who = name ?? "your partner";
  show(
    sheet(
      { label: "Waiting to be let in" },
      h("h1", { text: `Waiting for ${who} to let you in` }),
      h(
        "p",
        { class: "lede" },
        "Check together — in person or on a call — that ",
        h("strong", { text: who }),
        " sees these same eight words:",
      ),
      phraseBox(phrase),
      h("p", {
        class: "quiet",
        text: "If the words differ, don’t go on: someone may be sitting between you.",
      }),
      waitingLine(`Waiting for ${who}…`),
    ),
  );

  // Turned away: the server ends the stream with the news, then refuses this device.
  const declined = () => {
    stream.close();
    declinedScreen(session, who, navigate);
  };
  const stream = followNotebook({
    notebookId: session.id,
    token: session.token,
    after: session.notebook.head?.seq ?? 0,
    onRecord: (record) => {
      if (record.member !== session.record.memberId) return;
      if (record.kind === "member.approved") navigate(`/n/${session.id}`);
      if (record.kind === "member.declined") declined();
    },
    onState: (state) => state === "refused" && declined(),
  });
  onLeave(() => stream.close());
}

function startOver(session, navigate) {
  return h(
    "div",
    { class: "actions" },
    h("button", {
      type: "button",
      class: "button",
      text: "Start again",
      onclick: async () => {
        await forgetNotebook(session.id);
        navigate("/");
      },
    }),
  );
}

function declinedScreen(session, who, navigate) {
  show(
    sheet(
      { label: "Not let in" },
      h("h1", { text: "This invite was closed" }),
      h("p", {
        class: "lede",
        text:
          `${who} didn’t let this device in. If that’s a mistake, ask ` + `them for a new link.`,
      }),
      startOver(session, navigate),
    ),
  );
}

function untrustedScreen(session, navigate) {
  show(
    sheet(
      { className: "sheet--alarm", label: "Something is wrong" },
      h("h1", { text: "This notebook isn’t the one you were invited to" }),
      h("p", {
        class: "lede",
        role: "alert",
        text:
          "The notebook’s owner is not signing with the key your invite named. " +
          "Someone may be in the middle. Don’t write anything here.",
      }),
      startOver(session, navigate),
    ),
  );
}
