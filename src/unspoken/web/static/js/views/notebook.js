// The notebook itself: the pages in order, each in its writer's hand, and at the foot either
// your pen or a calm line saying who holds it. New pages from the partner arrive live.

import { h, show } from "../dom.js";
import { applyHand } from "../hands.js";
import { Journal } from "../journal.js";
import { phraseWithPartner } from "../pairing.js";
import { followNotebook } from "../stream.js";
import { composer, penLine } from "./composer.js";
import { phraseBox, sheet } from "./frame.js";

const DAY = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long" });
const TIME = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

export async function notebookView({ session, onLeave, stale }) {
  const people = await readProfiles(session);
  // A live region: a screen reader hears the partner's new page as it arrives.
  const pages = h("div", { class: "pages", "aria-live": "polite" });
  const blank = h("p", {
    class: "pages__blank",
    text: "The pages are blank, waiting for the first words.",
  });
  const warning = h("p", {
    class: "warning",
    role: "alert",
    hidden: true,
    text:
      "Something in this notebook did not verify. The pages marked below may have been " +
      "altered, moved or forged, and are not shown.",
  });
  const connection = h("p", { class: "connection", role: "status" });
  const foot = h("div", { class: "foot" });
  const partnerName = people.get(session.partner()?.id)?.name ?? "your partner";
  const drawn = new Set();
  let lastDay = null;
  let footFor = null;

  const journal = new Journal(session, () => refresh());

  function refresh() {
    for (const entry of journal.entries) {
      if (drawn.has(entry.seq)) continue;
      drawn.add(entry.seq);
      const day = DAY.format(new Date(entry.at));
      if (day !== lastDay) pages.append(h("h2", { class: "pages__day", text: (lastDay = day) }));
      pages.append(page(entry, people));
      if (entry.problem) warning.hidden = false;
    }
    blank.hidden = journal.entries.length > 0;
    const holder = journal.pen;
    const mine = session.notebook.mode === "open" || holder === session.record.memberId;
    if (footFor !== `${holder}:${mine}`) {
      footFor = `${holder}:${mine}`;
      foot.replaceChildren(
        mine
          ? composer({ session, journal, people, partnerName })
          : penLine(people.get(holder)?.name ?? partnerName),
      );
    }
  }

  await journal.catchUp();
  if (stale()) return;
  show(
    sheet(
      { className: "sheet--notebook", label: "Your notebook" },
      h(
        "header",
        { class: "notebook-head" },
        h("h1", { class: "notebook-head__title" }, names(session, people)),
        await phraseDetails(session),
      ),
      warning,
      connection,
      blank,
      pages,
      foot,
    ),
  );
  refresh();

  const stream = followNotebook({
    notebookId: session.id,
    token: session.record.token,
    after: journal.lastSeq,
    onRecord: (record) => journal.receive(record),
    onState: (state) => {
      connection.textContent = state === "reconnecting" ? "Connection lost — reconnecting…" : "";
    },
  });
  onLeave(() => stream.close());
}

async function readProfiles(session) {
  const people = new Map();
  for (const member of session.notebook.members) {
    try {
      const profile = await session.profileOf(member);
      if (profile) people.set(member.id, profile);
    } catch {
      people.set(member.id, { name: "Someone unverified", hand: null });
    }
  }
  return people;
}

function names(session, people) {
  const me = people.get(session.record.memberId)?.name;
  const partner = people.get(session.partner()?.id)?.name;
  return partner ? `${me} & ${partner}` : me;
}

async function phraseDetails(session) {
  if (!session.record.partnerKey) return null;
  const phrase = await phraseWithPartner(session);
  return h(
    "details",
    { class: "phrase-details" },
    h("summary", { text: "Safety phrase" }),
    h("p", { class: "quiet", text: "The same eight words should be on your partner’s screen." }),
    phraseBox(phrase),
  );
}

function page(entry, people) {
  const person = people.get(entry.member);
  const when = new Date(entry.at);
  const meta = h(
    "p",
    { class: "entry__meta" },
    h("span", { text: person?.name ?? "Unknown" }),
    " · ",
    h("time", { datetime: entry.at, text: TIME.format(when) }),
  );
  if (entry.problem) {
    return h(
      "article",
      { class: "entry entry--unverified", "data-seq": entry.seq },
      meta,
      h("p", {
        class: "entry__problem",
        text:
          `This page could not be verified: ${entry.problem}. ` +
          "It is not shown, because it may not be what was written.",
      }),
    );
  }
  const text = h("p", { class: "entry__text", text: entry.text });
  applyHand(text, person?.hand);
  return h("article", { class: "entry", "data-seq": entry.seq }, meta, text);
}
