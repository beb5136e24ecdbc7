// The notebook itself: the pages in order, each in its writer's hand, and at the foot whatever
// this partner can do right now — write, say back, keep a draft while the other takes time, or
// knock for the pen. Every change of the rules arrives live and redraws only what it touches.
//
// One NotebookScreen owns the screen: the journal, the outbox, the live stream, the composer,
// a timer, and every listener on window or document (through one Listeners). Leaving the screen
// releases them all. What each part shows is a function of state (views/notebook_parts.js).

import { h, show } from "../dom.js";
import { t } from "../i18n.js";
import { Journal } from "../journal.js";
import { Listeners } from "../listeners.js";
import { keptRecords, recordKeeper } from "../local_copy.js";
import { Outbox } from "../outbox.js";
import { is } from "../protocol/records.js";
import { resyncPush } from "../push.js";
import { followNotebook } from "../stream.js";
import { announcer, stateSentence } from "./announce.js";
import { openCloseSheet, openNewChapterSheet } from "./chapters.js";
import { composer } from "./composer.js";
import { openDevicesSheet } from "./devices.js";
import { sheet } from "./frame.js";
import { openLeaveSheet } from "./goodbye.js";
import { openKeepsake } from "./keepsake.js";
import { openExportSheet } from "./keepsake_file.js";
import * as parts from "./notebook_parts.js";
import { openNotificationsSheet } from "./notifications.js";
import { Pages } from "./pages.js";
import { introCards } from "./intro.js";
import { openPauseSheet } from "./pause.js";
import { promisesPanel } from "./commitments.js";
import { openAgreeSheet, openPromiseSheet } from "./promises.js";
import { conversationTools, housekeeping, timeTool } from "./tools.js";
import { seenChoice, seenSender, seenViewer } from "./seen.js";
import { draftViewer } from "./watching.js";

const TITLE = "Unspoken";

export async function notebookView({ session, onLeave, stale, navigate }) {
  const screen = new NotebookScreen({ session, navigate, people: await parts.readProfiles(session) });
  // Released on leaving even if the screen never finished opening.
  onLeave(() => screen.release());
  await screen.open(stale);
  return screen;
}

export class NotebookScreen {
  constructor({ session, people, navigate }) {
    this.session = session;
    this.people = people;
    this.navigate = navigate;
    this.me = session.record.memberId;
    this.partnerName = people.get(session.partner()?.id)?.name ?? t("common.your_partner");
    this.listeners = new Listeners();
    this.keys = { foot: null, banners: null, knock: null, tools: null, housekeeping: null };
    // The knock set aside with "Not now" (its seq), and what the tab's title says.
    this.knockSetAside = null;
    this.unread = 0;
    this.turn = 0;
    // What the composer was last for ("write", "mirror", "draft"), or null when it was not shown.
    this.composing = null;
    this.entriesSeen = 0;
    this.phraseShown = null;
    this.expiry = null;
    this.stream = null;
    this.journal = new Journal(session, () => this.render());
    this.journal.keep = recordKeeper(session.id);
    this.outbox = new Outbox(session, this.journal, this.listeners);
    this.viewer = draftViewer({ session, people });
    // How far each has read, and whether each is here: told only if this device's person turns
    // it on (views/seen.js), on a steady beat while the screen is open.
    this.seenSender = seenSender(session);
    this.seen = seenViewer({ session, people });
    this.listeners.add(() => this.seenSender.stop());
    this.listeners.add(() => this.seen.stop());
    this.commitments = promisesPanel({ session, people, onWaiting: (count) => this.showWaiting(count) });
    this.build();
    const onCrossOut = async (entryId) => {
      await session.api.crossOut(entryId);
      await this.after();
    };
    this.pages = new Pages({ session, people, container: this.el.pages, onCrossOut });
    this.listeners.add(() => clearTimeout(this.expiry));
    this.listeners.add(() => document.querySelector(".keepsake-screen")?.remove());
    this.listeners.add(() => (document.title = TITLE));
    // Back to the tab: what arrived while away has been seen.
    this.listeners.on(document, "visibilitychange", () => {
      if (document.visibilityState !== "visible") return;
      this.reportSeen();
      if (this.unread) {
        this.unread = 0;
        this.renderTitle();
      }
    });
  }

  /** Let go of everything the screen holds: stream, outbox, timers, listeners. */
  release() {
    this.listeners.release();
  }

  build() {
    const el = (this.el = {
      pages: h("div", { class: "pages", "aria-live": "polite" }),
      blank: h("p", { class: "pages__blank", text: t("notebook.blank") }),
      warning: h("p", { class: "warning", role: "alert", hidden: true, text: t("notebook.warning") }),
      connection: h("p", { class: "connection", role: "status" }),
      banners: h("div", { class: "banners", "aria-live": "polite" }),
      // What waits for this partner and will not wait long: a knock. In the bar, held at the
      // top while the page scrolls, so it is seen wherever they are reading or writing.
      notices: h("div", { class: "notices" }),
      // "I need time", in the bar beside the tabs: in reach wherever they are on the page.
      time: h("div", { class: "bar__time" }),
      // The foot is named by the state of the rules (who holds the pen, a pause until when),
      // and the same words are announced politely whenever they change.
      foot: h("section", { class: "foot" }),
      // The conversation's own acts, right under where it is written; the notebook's
      // housekeeping apart, at the end, named by its heading.
      talk: h("nav", { class: "talk", "aria-label": t("notebook.conversation") }),
      tools: h("section", { class: "tools", "aria-labelledby": "notebook-menu" }),
      phrase: h("div", { class: "phrase-slot" }),
      pagesTab: parts.tab(t("notebook.tab_pages"), true),
      promisesTab: parts.tab(t("notebook.tab_promises"), false),
    });
    this.announce = announcer();
    // Whether the foot held the focus last: a button that disables itself while it works drops
    // the focus to the body, and the keyboard user should land back in the foot, not the top.
    this.footHeld = false;
    el.foot.addEventListener("focusin", () => (this.footHeld = true));
    el.foot.addEventListener("focusout", (event) => {
      this.footHeld = !event.relatedTarget || el.foot.contains(event.relatedTarget);
    });
    el.bar = h(
      "div",
      { class: "bar" },
      h(
        "div",
        { class: "bar__row" },
        h("nav", { class: "tabs", "aria-label": t("notebook.sections") }, el.pagesTab, el.promisesTab),
        el.time,
      ),
      el.notices,
    );
    this.keepClearOfBar(el.bar);
    const { blank, pages, banners, foot, talk, tools } = el;
    el.pagesSection = h("div", { class: "tab-panel" }, blank, pages, this.seen.element, this.viewer.element, banners, foot, talk, tools);
    el.promisesSection = h("div", { class: "tab-panel", hidden: true }, this.commitments.element);
    el.pagesTab.addEventListener("click", () => {
      this.choose(true);
      this.reportSeen();
    });
    el.promisesTab.addEventListener("click", () => {
      this.choose(false);
      this.commitments.reload().catch(() => {});
    });
  }

  /** What the keyboard or a link scrolls to lands below the bar, never hidden under it. */
  keepClearOfBar(bar) {
    const root = document.documentElement;
    const sizes = new ResizeObserver(() => (root.style.scrollPaddingTop = `${bar.offsetHeight}px`));
    sizes.observe(bar);
    this.listeners.add(() => {
      sizes.disconnect();
      root.style.removeProperty("scroll-padding-top");
    });
  }

  choose(onPages) {
    const { pagesTab, promisesTab, pagesSection, promisesSection } = this.el;
    pagesTab.setAttribute("aria-pressed", String(onPages));
    promisesTab.setAttribute("aria-pressed", String(!onPages));
    pagesSection.hidden = !onPages;
    promisesSection.hidden = onPages;
  }

  async open(stale) {
    const { session, journal, outbox } = this;
    await outbox.load();
    this.composer = composer({
      session,
      outbox,
      people: this.people,
      partnerName: this.partnerName,
      onAskTime: () => this.askTime(),
      onRefused: async () => {
        await session.refresh();
        await this.after();
      },
    });
    // Offline, the pages are the records kept on this device; online, they come from the server.
    if (session.offline) await journal.restore(await keptRecords(session.id));
    else await journal.catchUp();
    await this.commitments.reload().catch(() => {});
    if (stale() || this.listeners.released) return;
    const el = this.el;
    show(
      sheet(
        { className: "sheet--notebook", label: t("notebook.label") },
        h(
          "header",
          { class: "notebook-head" },
          h("h1", { class: "notebook-head__title" }, parts.names(session, this.people)),
          el.phrase,
        ),
        // The bar stays at the top of the screen: the two sections (what waits on each counted
        // there), "I need time", and a knock. Nothing the conversation needs at once is ever
        // below the fold, whether the pages are blank or long, or the first visit's cards show.
        el.bar,
        el.warning,
        el.connection,
        this.announce.element,
        introCards({
          partnerName: this.partnerName,
          // Put away: the focus goes on to the pages, not back to the top of the document.
          onDone: (hadFocus) => hadFocus && el.pagesTab.focus(),
        }),
        el.pagesSection,
        el.promisesSection,
      ),
    );
    await this.renderPhrase();
    this.render();
    this.follow();
    if (!this.listeners.released && !parts.notebookState(session, journal, this.me).left) this.seenSender.start();
    outbox.flush();
    resyncPush(session).catch(() => {});
  }

  /** The live stream, closed with the screen. */
  follow() {
    const { session, journal, outbox } = this;
    this.stream = followNotebook({
      notebookId: session.id,
      token: session.token,
      after: journal.lastSeq,
      onRecord: async (record) => {
        await journal.receive(record);
        if (is(record.kind, "commitment")) await this.commitments.reload().catch(() => {});
      },
      onDraft: (frame) => this.viewer.receive(frame),
      onSeen: (frame) => this.seen.receive(frame),
      onState: (state) => {
        // Revoked, or gone: the server no longer lets this device in. Say so plainly.
        if (state === "refused") return this.navigate(location.pathname);
        this.el.connection.textContent = state === "reconnecting" ? t("notebook.reconnecting") : "";
        // Back in touch with the server: whatever waits on this device goes now.
        if (state === "live" && session.offline) {
          session.refresh().then(() => this.after(), () => {}).finally(() => outbox.flush());
        } else if (state === "live") outbox.flush();
      },
    });
    const stream = this.stream;
    this.listeners.add(() => stream.close());
  }

  async after() {
    await this.journal.catchUp();
    this.render();
  }

  askTime() {
    const renew = this.session.activePause()?.by === this.me;
    openPauseSheet({ session: this.session, partnerName: this.partnerName, renew, onDone: () => this.after() });
  }

  // The phrase covers every device of both partners: redrawn when one is added or revoked.
  async renderPhrase() {
    this.journal.devicesChanged = false;
    const phrase = await this.session.phrase();
    if (phrase === this.phraseShown) return;
    this.phraseShown = phrase;
    this.el.phrase.replaceChildren(phrase ? parts.phraseDetails(phrase) : "");
  }

  render() {
    const { journal, people, el } = this;
    if (!this.composer || this.listeners.released) return;
    if (journal.devicesChanged) this.renderPhrase().catch(console.error);
    this.pages.draw(journal.timeline, this.session.shown());
    for (const entry of journal.entries.slice(this.entriesSeen)) {
      this.viewer.clear(entry.member);
      if (entry.problem) el.warning.hidden = false;
    }
    this.entriesSeen = journal.entries.length;
    if (journal.untrusted) el.warning.hidden = false;
    el.blank.hidden = journal.timeline.length > 0;
    const now = parts.notebookState(this.session, journal, this.me);
    this.pages.holdBack(parts.saidByBanners(now, this));
    this.renderFoot(now);
    const holder = people.get(journal.pen)?.name ?? this.partnerName;
    const pauser = people.get(now.pause?.by)?.name ?? this.partnerName;
    const sentence = stateSentence({ ...now, holder, pauser, partnerName: this.partnerName, me: this.me });
    el.foot.setAttribute("aria-label", sentence);
    this.announce.say(sentence);
    this.renderBanners(now);
    this.renderKnock(now);
    this.renderTools(now);
    // After a goodbye there is nobody to tell.
    if (now.left) this.seenSender.stop();
    this.countUnread();
    this.reportSeen();
    this.renderTitle(now);
    clearTimeout(this.expiry);
    // A pause stops silencing at its end exactly, even before the server's news of it arrives.
    if (now.pause) {
      this.expiry = setTimeout(() => this.render(), Math.max(0, Date.parse(now.pause.until) - Date.now()) + 50);
    }
  }

  renderFoot(now) {
    const { journal, people, el } = this;
    const holder = people.get(journal.pen)?.name ?? this.partnerName;
    const key = parts.footKey(now, holder);
    // A new turn begins each time the foot becomes the composer again, and each time the
    // composer may write again after waiting (a restatement answered, a pause over) while the
    // pen stayed here: what it said before the wait belongs to the last turn.
    const state = key === "compose" ? parts.composeState(now, this) : null;
    const waited = this.composing === "draft" && state?.mode !== "draft";
    if (state && (key !== this.keys.foot || waited)) this.turn += 1;
    this.composing = state?.mode ?? null;
    if (state) this.composer.set({ ...state, turn: this.turn });
    if (key === this.keys.foot) return;
    this.keys.foot = key;
    // A keyboard user whose button just left the page (the pen passed) stays in the foot.
    const active = document.activeElement;
    const hadFocus = el.foot.contains(active) || (this.footHeld && (!active || active === document.body));
    const newChapter = () => this.newChapter();
    el.foot.replaceChildren(parts.footContent(key, { session: this.session, holder, composer: this.composer, newChapter }));
    if (hadFocus) this.focusFoot();
  }

  /** Focus the foot's writing field, or its first button when it has none (the toggle
   * between typing and writing by hand comes before the field). */
  focusFoot() {
    const foot = this.el.foot;
    (foot.querySelector("textarea") ?? foot.querySelector("button"))?.focus();
  }

  renderBanners(now) {
    const after = () => this.after();
    const on = { after, askTime: () => this.askTime() };
    const { key, cards } = parts.banners(now, { ...this, on });
    if (key === this.keys.banners) return;
    this.keys.banners = key;
    this.el.banners.replaceChildren(...cards());
  }

  renderKnock(now) {
    const on = {
      passPen: async () => {
        await this.session.api.passPen();
        await this.after();
      },
      later: (seq) => {
        this.knockSetAside = seq;
        this.render();
      },
    };
    const setAside = this.knockSetAside;
    const { key, cards } = parts.knockNotice(now, { ...this, on, setAside });
    if (key === this.keys.knock) return;
    // A keyboard user whose "Not now" or "Pass" just went lands in the foot, not the top.
    const hadFocus = this.el.notices.contains(document.activeElement);
    this.keys.knock = key;
    this.el.notices.replaceChildren(...cards());
    if (hadFocus) this.focusFoot();
  }

  /**
   * Read position: the newest words, if they are the partner's, have been on a visible screen
   * (told only when turned on); and, if they are this partner's own, whether they were read.
   */
  reportSeen() {
    const last = this.journal.entries.findLast((e) => !e.problem);
    const mine = last?.member === this.me;
    this.seen.show(mine ? last.seq : null);
    if (last && !mine && this.el.pagesSection && !this.el.pagesSection.hidden) this.seenSender.report(last.seq);
  }

  /** The partner's pages that arrived while this tab was out of sight. */
  countUnread() {
    const seen = this.unreadSeen ?? this.journal.entries.length;
    const fresh = this.journal.entries.slice(seen).filter((e) => e.member !== this.me).length;
    this.unreadSeen = this.journal.entries.length;
    if (fresh && document.visibilityState === "hidden") this.unread += fresh;
  }

  /**
   * The tab's title, for a person with other tabs open: "Your turn" when the pen is theirs, and
   * how many of the partner's pages came while away. Nothing of the words themselves.
   */
  renderTitle(now = parts.notebookState(this.session, this.journal, this.me)) {
    if (this.listeners.released) return;
    const turn = parts.myTurn(now, this);
    const base = turn ? t("notebook.title_your_turn") : TITLE;
    document.title = this.unread ? t("notebook.title_unread", { count: this.unread, title: base }) : base;
  }

  showWaiting(count) {
    parts.setBadge(this.el.promisesTab, count, t("notebook.waiting_for_you", { count }));
  }

  renderTools(now) {
    const key = parts.toolsKey(now);
    if (key === this.keys.tools) return;
    this.keys.tools = key;
    const { session, journal, people, partnerName } = this;
    const after = () => this.after();
    const on = {
      session,
      mayOpen: journal.pen === this.me,
      askTime: () => this.askTime(),
      promise: () => openPromiseSheet({ session, partnerName, onDone: after }),
      agree: () => openAgreeSheet({ session, partnerName, onDone: after }),
      closeChapter: () => openCloseSheet({ session, onDone: after }),
      newChapter: () => this.newChapter(),
      leave: () => this.leave(),
      printChapter: () => openKeepsake({ session, journal, people, chapter: session.shown().chapter }),
      printAll: () => openKeepsake({ session, journal, people }),
      keepCopy: () => openExportSheet({ session }),
      notifications: () => openNotificationsSheet({ session, partnerName }),
      devices: () => openDevicesSheet({ session, partnerName, onChanged: after }),
      changed: after,
      seenChoice: () =>
        seenChoice({ sender: this.seenSender, partnerName, onChange: (on) => on && this.reportSeen() }),
    };
    this.el.time.replaceChildren(...timeTool(now, on));
    this.el.talk.replaceChildren(...conversationTools(now, on));
    this.el.talk.hidden = this.el.talk.childElementCount === 0;
    // The housekeeping does not change with the rules: drawn once, so a focused button stays.
    if (!this.keys.housekeeping) {
      this.keys.housekeeping = true;
      this.el.tools.replaceChildren(...housekeeping(on, "notebook-menu"));
    }
  }

  newChapter() {
    openNewChapterSheet({ session: this.session, onDone: () => this.after() });
  }

  leave() {
    const { session, journal, people } = this;
    openLeaveSheet({
      session,
      partnerName: this.partnerName,
      // Before a goodbye, a copy of everything can be kept: printed, or saved as a sealed file.
      keep: {
        print: (onClose) => openKeepsake({ session, journal, people, onClose }),
        save: () => openExportSheet({ session }),
      },
      // Our own goodbye would end the stream and turn this device away: stop listening first.
      beforeLeaving: () => this.stream?.close(),
      afterFailing: () => this.navigate(location.pathname),
    });
  }
}
