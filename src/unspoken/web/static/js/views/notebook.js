// The notebook itself: the pages in order, each in its writer's hand, and at the foot whatever
// this partner can do right now — write, say back, keep a draft while the other takes time, or
// knock for the pen. Every change of the rules arrives live and redraws only what it touches.

import { h, show } from "../dom.js";
import { Journal } from "../journal.js";
import { Outbox } from "../outbox.js";
import { followNotebook } from "../stream.js";
import { currentStep } from "../templates.js";
import { mirrorCard, openCloseSheet, openNewChapterSheet } from "./chapters.js";
import { composer } from "./composer.js";
import { openKeepsake } from "./keepsake.js";
import { openExportSheet } from "./keepsake_file.js";
import { phraseBox, sheet } from "./frame.js";
import { leftBanner, openLeaveSheet } from "./goodbye.js";
import { Pages } from "./pages.js";
import { openDevicesSheet } from "./devices.js";
import { openPauseSheet, pauseCard } from "./pause.js";
import { knockBanner, penLine } from "./pen.js";
import { openAgreeSheet, openPromiseSheet, promisesPanel } from "./promises.js";
import { toolbox, toolButton } from "./tools.js";
import { draftViewer } from "./watching.js";

const COMMITMENTS = ["promise.", "agreement."];

export async function notebookView({ session, onLeave, stale, navigate }) {
  const people = await readProfiles(session);
  const me = session.record.memberId;
  const partnerName = people.get(session.partner()?.id)?.name ?? "your partner";
  const pagesEl = h("div", { class: "pages", "aria-live": "polite" });
  const blank = h("p", { class: "pages__blank", text: "The pages are blank, waiting for the first words." });
  const warning = h("p", {
    class: "warning",
    role: "alert",
    hidden: true,
    text:
      "Something in this notebook did not verify. The pages marked below may have been " +
      "altered, moved or forged, and are not shown.",
  });
  const connection = h("p", { class: "connection", role: "status" });
  const banners = h("div", { class: "banners", "aria-live": "polite" });
  const foot = h("div", { class: "foot" });
  const tools = h("nav", { class: "tools", "aria-label": "More in this notebook" });
  const viewer = draftViewer({ session, people });
  const pages = new Pages({ session, people, container: pagesEl });
  const commitments = promisesPanel({ session, people });
  const keys = { foot: null, banners: null, tools: null };
  let entriesSeen = 0;
  let expiry = null;
  let stream = null;

  const journal = new Journal(session, () => render());
  const after = async () => {
    await journal.catchUp();
    render();
  };
  const askTime = () =>
    openPauseSheet({ session, partnerName, renew: session.activePause()?.by === me, onDone: after });
  const outbox = new Outbox(session, journal);
  await outbox.load();
  const refused = async () => {
    await session.refresh();
    await after();
  };
  const writing = composer({ session, journal, outbox, people, partnerName, onAskTime: askTime, onRefused: refused });

  function state() {
    const nb = session.notebook;
    const pause = session.activePause();
    return {
      nb,
      pause,
      left: (nb.left ?? []).length > 0,
      silenced: Boolean(pause && pause.by !== me),
      closed: nb.chapter_state === "closed",
      myPen: nb.mode === "open" || journal.pen === me,
    };
  }

  const phraseSlot = h("div", { class: "phrase-slot" });
  let phraseShown = null;
  // The phrase covers every device of both partners: redrawn when one is added or revoked.
  async function renderPhrase() {
    journal.devicesChanged = false;
    const phrase = await session.phrase();
    if (phrase === phraseShown) return;
    phraseShown = phrase;
    phraseSlot.replaceChildren(phrase ? phraseDetails(phrase) : "");
  }

  function render() {
    if (journal.devicesChanged) renderPhrase().catch(console.error);
    pages.draw(journal.timeline, session.notebook);
    for (const entry of journal.entries.slice(entriesSeen)) {
      viewer.clear(entry.member);
      if (entry.problem) warning.hidden = false;
    }
    entriesSeen = journal.entries.length;
    blank.hidden = journal.timeline.length > 0;
    const now = state();
    renderFoot(now);
    renderBanners(now);
    renderTools(now);
    clearTimeout(expiry);
    // A pause stops silencing at its end exactly, even before the server's news of it arrives.
    if (now.pause) expiry = setTimeout(render, Math.max(0, Date.parse(now.pause.until) - Date.now()) + 50);
  }

  function renderFoot({ nb, left, silenced, closed, myPen, pause }) {
    const holder = people.get(journal.pen)?.name ?? partnerName;
    let key;
    if (left) key = "left";
    else if (closed) key = "closed";
    else if (silenced || myPen) key = "compose";
    else key = `pen:${holder}`;
    if (key === "compose") writing.set(composeState(nb, silenced, pause));
    if (key === keys.foot) return;
    keys.foot = key;
    if (key === "left") foot.replaceChildren(quietLine("Nothing more can be added to this notebook."));
    else if (key === "closed") foot.replaceChildren(closedLine());
    else if (key === "compose") foot.replaceChildren(writing.element);
    else foot.replaceChildren(penLine({ session, holder }));
  }

  function composeState(nb, silenced, pause) {
    const open = nb.mode === "open";
    const step = currentStep(chapterMeta(nb.chapter)?.template, writtenInChapter(nb.chapter));
    if (silenced) {
      const name = people.get(pause.by)?.name ?? partnerName;
      return { mode: "draft", why: `${name} asked for time — your draft stays here until then`, step };
    }
    if (nb.mirror?.owed_by === me) return { mode: "mirror", open, step };
    if (nb.mirror?.awaiting && nb.mirror.awaiting !== me) {
      const why = `Waiting for ${partnerName} to say whether you got it — your draft stays here`;
      return { mode: "draft", why, step };
    }
    return { mode: "write", open, step };
  }

  function chapterMeta(n) {
    return journal.timeline.find((item) => item.kind === "chapter.opened" && item.record.chapter === n)?.meta;
  }

  function writtenInChapter(n) {
    return journal.entries.filter((e) => e.chapter === n && !e.mirror).length;
  }

  function closedLine() {
    return h(
      "div",
      { class: "pen-line" },
      h("p", { class: "pen-line__who pen-line__who--closed", text: "This chapter is closed" }),
      h("p", { class: "quiet", text: "Its pages stay as they are. A new chapter can begin whenever you are both ready." }),
      h("div", { class: "actions actions--center" }, toolButton("Begin a new chapter", newChapter, true)),
    );
  }

  function renderBanners({ nb, pause, left, silenced, myPen }) {
    const knock = journal.knock;
    const knocked = knock && knock.member !== me && myPen && nb.mode === "turns" && !silenced && !left;
    const restated = nb.mirror?.awaiting === me ? lastRestatement(nb.chapter) : null;
    const key = JSON.stringify([
      left && nb.erase_at,
      pause,
      journal.pauseNote?.seq,
      journal.hereNote?.seq,
      knocked && knock.seq,
      nb.mirror?.awaiting === me && restated?.seq,
    ]);
    if (key === keys.banners) return;
    keys.banners = key;
    const cards = [];
    if (left) cards.push(leftBanner({ name: partnerName, eraseAt: nb.erase_at }));
    if (pause && !left) {
      cards.push(pauseCard({ session, journal, people, onRenew: askTime, onDone: after }));
    }
    if (knocked) {
      const onPass = async () => {
        await session.api.passPen();
        await after();
      };
      cards.push(knockBanner({ name: people.get(knock.member)?.name ?? partnerName, at: knock.at, onPass }));
    }
    if (nb.mirror?.awaiting === me && !left) {
      const hand = people.get(session.partner()?.id)?.hand;
      cards.push(mirrorCard({ session, partnerName, restatement: restated?.text, hand, onDone: after }));
    }
    banners.replaceChildren(...cards);
  }

  function lastRestatement(chapter) {
    return journal.entries.findLast((e) => e.chapter === chapter && e.mirror && e.member !== me);
  }

  function renderTools(now) {
    const { nb, pause, left, silenced, closed, myPen } = now;
    const key = JSON.stringify([nb.mode, Boolean(pause), left, silenced, closed, myPen, nb.chapter]);
    if (key === keys.tools) return;
    keys.tools = key;
    tools.replaceChildren(
      ...toolbox(now, {
        session,
        mayOpen: journal.pen === me,
        askTime,
        promise: () => openPromiseSheet({ session, partnerName, onDone: after }),
        agree: () => openAgreeSheet({ session, partnerName, onDone: after }),
        closeChapter: () => openCloseSheet({ session, onDone: after }),
        newChapter,
        leave,
        printChapter: () => openKeepsake({ session, journal, people, chapter: session.notebook.chapter }),
        keepCopy: () => openExportSheet({ session }),
        devices: () => openDevicesSheet({ session, partnerName, onChanged: after }),
        changed: after,
      }),
    );
  }

  function newChapter() {
    openNewChapterSheet({ session, onDone: after });
  }

  function leave() {
    openLeaveSheet({
      session,
      partnerName,
      // Our own goodbye would end the stream and turn this device away: stop listening first.
      beforeLeaving: () => stream?.close(),
      afterFailing: () => navigate(location.pathname),
    });
  }

  const pagesTab = tab("The pages", true);
  const promisesTab = tab("Promises & agreements", false);
  const pagesSection = h("div", { class: "tab-panel" }, blank, pagesEl, viewer.element, banners, foot, tools);
  const promisesSection = h("div", { class: "tab-panel", hidden: true }, commitments.element);
  pagesTab.addEventListener("click", () => choose(true));
  promisesTab.addEventListener("click", () => {
    choose(false);
    commitments.reload().catch(() => {});
  });
  function choose(onPages) {
    pagesTab.setAttribute("aria-pressed", String(onPages));
    promisesTab.setAttribute("aria-pressed", String(!onPages));
    pagesSection.hidden = !onPages;
    promisesSection.hidden = onPages;
  }

  await journal.catchUp();
  await commitments.reload().catch(() => {});
  if (stale()) return;
  show(
    sheet(
      { className: "sheet--notebook", label: "Your notebook" },
      h(
        "header",
        { class: "notebook-head" },
        h("h1", { class: "notebook-head__title" }, names(session, people)),
        phraseSlot,
        h("nav", { class: "tabs", "aria-label": "Sections" }, pagesTab, promisesTab),
      ),
      warning,
      connection,
      pagesSection,
      promisesSection,
    ),
  );
  await renderPhrase();
  render();

  stream = followNotebook({
    notebookId: session.id,
    token: session.token,
    after: journal.lastSeq,
    onRecord: async (record) => {
      await journal.receive(record);
      if (COMMITMENTS.some((prefix) => record.kind.startsWith(prefix))) {
        await commitments.reload().catch(() => {});
      }
    },
    onDraft: (frame) => viewer.receive(frame),
    onState: (state) => {
      // Revoked, or gone: the server no longer lets this device in. Say so plainly.
      if (state === "refused") return navigate(location.pathname);
      connection.textContent = state === "reconnecting" ? "Connection lost — reconnecting…" : "";
      // Back in touch with the server: whatever waits on this device goes now.
      if (state === "live") outbox.flush();
    },
  });
  outbox.flush();
  onLeave(() => {
    outbox.close();
    stream.close();
    clearTimeout(expiry);
    document.querySelector(".keepsake-screen")?.remove();
  });
}

function tab(text, pressed) {
  return h("button", { type: "button", class: "tabs__tab", "aria-pressed": String(pressed), text });
}

function quietLine(text) {
  return h("p", { class: "pen-line quiet", text });
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

function phraseDetails(phrase) {
  return h(
    "details",
    { class: "phrase-details" },
    h("summary", { text: "Safety phrase" }),
    h("p", { class: "quiet", text: "The same eight words should be on your partner’s screen." }),
    phraseBox(phrase),
  );
}
