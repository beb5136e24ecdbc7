// The notebook itself: the pages in order, each in its writer's hand, and at the foot whatever
// this partner can do right now — write, say back, keep a draft while the other takes time, or
// knock for the pen. Every change of the rules arrives live and redraws only what it touches.

import { h, show } from "../dom.js";
import { t } from "../i18n.js";
import { announcer, stateSentence } from "./announce.js";
import { Journal } from "../journal.js";
import { keptRecords, recordKeeper } from "../local_copy.js";
import { Outbox } from "../outbox.js";
import { followNotebook } from "../stream.js";
import { currentStep } from "../templates.js";
import { mirrorCard, openCloseSheet, openNewChapterSheet } from "./chapters.js";
import { composer } from "./composer.js";
import { openKeepsake } from "./keepsake.js";
import { openNotificationsSheet } from "./notifications.js";
import { resyncPush } from "../push.js";
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
import { KIND, is } from "../protocol/records.js";

export async function notebookView({ session, onLeave, stale, navigate }) {
  const people = await readProfiles(session);
  const me = session.record.memberId;
  const partnerName = people.get(session.partner()?.id)?.name ?? t("common.your_partner");
  const pagesEl = h("div", { class: "pages", "aria-live": "polite" });
  const blank = h("p", { class: "pages__blank", text: t("notebook.blank") });
  const warning = h("p", {
    class: "warning",
    role: "alert",
    hidden: true,
    text: t("notebook.warning"),
  });
  const connection = h("p", { class: "connection", role: "status" });
  const banners = h("div", { class: "banners", "aria-live": "polite" });
  // The foot is named by the state of the rules (who holds the pen, a pause until when), and
  // the same words are announced politely whenever they change.
  const foot = h("section", { class: "foot" });
  const announce = announcer();
  // Whether the foot held the focus last: a button that disables itself while it works drops
  // the focus to the body, and the keyboard user should land back in the foot, not at the top.
  let footHeld = false;
  foot.addEventListener("focusin", () => (footHeld = true));
  foot.addEventListener("focusout", (event) => (footHeld = !event.relatedTarget || foot.contains(event.relatedTarget)));
  const tools = h("nav", { class: "tools", "aria-label": t("notebook.more") });
  const viewer = draftViewer({ session, people });
  const pages = new Pages({ session, people, container: pagesEl });
  const commitments = promisesPanel({ session, people });
  const keys = { foot: null, banners: null, tools: null };
  let entriesSeen = 0;
  let expiry = null;
  let stream = null;

  const journal = new Journal(session, () => render());
  journal.keep = recordKeeper(session.id);
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
    const holder = people.get(journal.pen)?.name ?? partnerName;
    const pauser = people.get(now.pause?.by)?.name ?? partnerName;
    const sentence = stateSentence({ ...now, holder, pauser, partnerName, me });
    foot.setAttribute("aria-label", sentence);
    announce.say(sentence);
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
    // A keyboard user whose button just left the page (the pen passed) stays in the foot.
    const active = document.activeElement;
    const hadFocus = foot.contains(active) || (footHeld && (!active || active === document.body));
    drawFoot(key, holder);
    if (hadFocus) foot.querySelector("textarea, button")?.focus();
  }

  function drawFoot(key, holder) {
    if (key === "left") foot.replaceChildren(quietLine(t("notebook.nothing_more")));
    else if (key === "closed") foot.replaceChildren(closedLine());
    else if (key === "compose") foot.replaceChildren(writing.element);
    else foot.replaceChildren(penLine({ session, holder }));
  }

  function composeState(nb, silenced, pause) {
    const open = nb.mode === "open";
    const step = currentStep(chapterMeta(nb.chapter)?.template, writtenInChapter(nb.chapter));
    if (silenced) {
      const name = people.get(pause.by)?.name ?? partnerName;
      return { mode: "draft", why: t("notebook.silenced", { name }), step };
    }
    if (nb.mirror?.owed_by === me) return { mode: "mirror", open, step };
    if (nb.mirror?.awaiting && nb.mirror.awaiting !== me) {
      const why = t("notebook.awaiting_mirror", { name: partnerName });
      return { mode: "draft", why, step };
    }
    return { mode: "write", open, step };
  }

  function chapterMeta(n) {
    return journal.timeline.find((item) => item.kind === KIND.CHAPTER_OPENED && item.record.chapter === n)?.meta;
  }

  function writtenInChapter(n) {
    return journal.entries.filter((e) => e.chapter === n && !e.mirror).length;
  }

  function closedLine() {
    return h(
      "div",
      { class: "pen-line" },
      h("p", { class: "pen-line__who pen-line__who--closed", text: t("notebook.closed_title") }),
      h("p", { class: "quiet", text: t("notebook.closed_text") }),
      h("div", { class: "actions actions--center" }, toolButton(t("notebook.new_chapter"), newChapter, true)),
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
        notifications: () => openNotificationsSheet({ session, partnerName }),
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

  const pagesTab = tab(t("notebook.tab_pages"), true);
  const promisesTab = tab(t("notebook.tab_promises"), false);
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

  // Offline, the pages are the records kept on this device; online, they come from the server.
  if (session.offline) await journal.restore(await keptRecords(session.id));
  else await journal.catchUp();
  await commitments.reload().catch(() => {});
  if (stale()) return;
  show(
    sheet(
      { className: "sheet--notebook", label: t("notebook.label") },
      h(
        "header",
        { class: "notebook-head" },
        h("h1", { class: "notebook-head__title" }, names(session, people)),
        phraseSlot,
        h("nav", { class: "tabs", "aria-label": t("notebook.sections") }, pagesTab, promisesTab),
      ),
      warning,
      connection,
      announce.element,
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
      if (is(record.kind, "commitment")) {
        await commitments.reload().catch(() => {});
      }
    },
    onDraft: (frame) => viewer.receive(frame),
    onState: (state) => {
      // Revoked, or gone: the server no longer lets this device in. Say so plainly.
      if (state === "refused") return navigate(location.pathname);
      connection.textContent = state === "reconnecting" ? t("notebook.reconnecting") : "";
      // Back in touch with the server: whatever waits on this device goes now.
      if (state === "live" && session.offline) {
        session.refresh().then(after, () => {}).finally(() => outbox.flush());
      } else if (state === "live") outbox.flush();
    },
  });
  outbox.flush();
  resyncPush(session).catch(() => {});
  onLeave(() => {
    writing.flush();
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
      people.set(member.id, { name: t("common.someone_unverified"), hand: null });
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
    h("summary", { text: t("common.safety_phrase") }),
    h("p", { class: "quiet", text: t("notebook.phrase_hint") }),
    phraseBox(phrase),
  );
}
