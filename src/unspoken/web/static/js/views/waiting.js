// The joiner's side of pairing: claimed, profile sealed, now pending until the creator lets
// them in. The creator's name is shown only if their profile is signed by the key from the
// invite bundle, so the server cannot put a stranger's name here.

import { h, show } from "../dom.js";
import { t, tParts } from "../i18n.js";
import { phraseWithPartner } from "../pairing.js";
import { forgetNotebook } from "../store.js";
import { followNotebook } from "../stream.js";
import { phraseBox, sheet, waitingLine } from "./frame.js";
import { KIND } from "../protocol/records.js";

export async function waitingView({ session, navigate, onLeave, stale }) {
  const creator = session.partner();
  let name;
  try {
    name = (await session.profileOf(creator))?.name ?? null;
  } catch {
    return untrustedScreen(session, navigate);
  }
  const phrase = await phraseWithPartner(session);
  if (stale()) return;
  const who = name ?? t("common.your_partner");
  show(
    sheet(
      { label: t("pairing.waiting_label") },
      h("h1", { text: t("pairing.waiting_title", { name: who }) }),
      h("p", { class: "lede" }, tParts("pairing.waiting_lede", { name: h("strong", { text: who }) })),
      phraseBox(phrase),
      h("p", { class: "quiet", text: t("pairing.waiting_differ") }),
      waitingLine(t("pairing.waiting_for", { name: who })),
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
      if (record.kind === KIND.MEMBER_APPROVED) navigate(`/n/${session.id}`);
      if (record.kind === KIND.MEMBER_DECLINED) declined();
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
      text: t("pairing.start_again"),
      onclick: async () => {
        await forgetNotebook(session.id);
        navigate("/");
      },
    }),
  );
}

/** Turned away before this device could hear it from the stream: the creator's name if known. */
export async function turnedAway(session, navigate) {
  const name = await session.profileOf(session.partner()).catch(() => null);
  declinedScreen(session, name?.name ?? t("common.your_partner"), navigate);
}

function declinedScreen(session, who, navigate) {
  show(
    sheet(
      { label: t("pairing.declined_label") },
      h("h1", { text: t("pairing.declined_title") }),
      h("p", { class: "lede", text: t("pairing.declined_lede", { name: who }) }),
      startOver(session, navigate),
    ),
  );
}

function untrustedScreen(session, navigate) {
  show(
    sheet(
      { className: "sheet--alarm", label: t("pairing.untrusted_label") },
      h("h1", { text: t("pairing.untrusted_title") }),
      h("p", { class: "lede", role: "alert", text: t("pairing.untrusted_lede") }),
      startOver(session, navigate),
    ),
  );
}
