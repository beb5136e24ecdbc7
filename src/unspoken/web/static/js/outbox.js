// Entries written but not yet sent: sealed on this device (like drafts) and sent in order, one
// at a time, whenever the server can be reached. Each keeps the entry id it was given when
// written, so a retry after a lost answer is stored once (the server answers with the first seq).
// Passing the pen waits here too, in order after the entries written before it: the notebook
// passes once they have reached it, and never before.

import { ApiError } from "./api.js";
import { fromUtf8, newId, utf8 } from "./protocol/encoding.js";
import { OUTBOX, openOnDevice, sealOnDevice, withStore } from "./store.js";

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 10000;

const label = (notebookId, entryId) => `outbox/${notebookId}/${entryId}`;

/** A failure that waiting can cure: no network, a server down or overloaded. */
export function unreachable(error) {
  if (!(error instanceof ApiError)) return error instanceof TypeError;
  return error.status >= 500 || error.status === 408 || error.status === 429;
}

export class Outbox {
  /**
   * onChange({kind: "queued" | "sent" | "waiting" | "refused", item, error}) after each step;
   * `listeners` (js/listeners.js) owns the window's "online" listener, undone on leaving.
   */
  constructor(session, journal, listeners, onChange = () => {}) {
    this.session = session;
    this.journal = journal;
    this.onChange = onChange;
    this.items = [];
    this.waiting = false;
    this.flushing = null;
    this.retry = null;
    this.delay = FIRST_RETRY_MS;
    listeners.on(window, "online", () => this.flush());
    listeners.add(() => this.close());
  }

  /** The entries this device still owes the notebook, oldest first. */
  async load() {
    const id = this.session.id;
    const records = await withStore(OUTBOX, "readonly", (s) => s.getAll());
    const mine = records.filter((r) => r.notebookId === id).sort((a, b) => a.order - b.order);
    this.items = [];
    for (const record of mine) {
      try {
        const body = JSON.parse(fromUtf8(await openOnDevice(label(id, record.entryId), record.sealed)));
        this.items.push({ entryId: record.entryId, order: record.order, ...body });
      } catch (error) {
        console.warn("an outbox entry this browser cannot open", error);
      }
    }
    return this.items;
  }

  /**
   * Keep an entry on this device before anything is sent: from here on it cannot be lost.
   * `ink`, for an entry written by hand, is its strokes; `text` is then their transcript.
   */
  add(text, { mirror = false, ink = null } = {}) {
    return this.keep(ink?.length ? { text, mirror, ink } : { text, mirror });
  }

  /** Pass the pen once everything written before has been sent; kept like an entry. */
  passPen() {
    return this.keep({ pass: true });
  }

  /** Whether passing the pen is waiting here. */
  get passing() {
    return this.items.some((item) => item.pass);
  }

  async keep(body) {
    const last = this.items.at(-1)?.order ?? 0;
    const item = { entryId: newId(), order: Math.max(Date.now(), last + 1), ...body };
    const sealed = await sealOnDevice(label(this.session.id, item.entryId), utf8(JSON.stringify(body)));
    const record = { entryId: item.entryId, notebookId: this.session.id, order: item.order, sealed };
    await withStore(OUTBOX, "readwrite", (s) => s.put(record));
    this.items.push(item);
    this.onChange({ kind: "queued", item });
    return item;
  }

  /** Send what waits, in order; one flush at a time, however many ask for it. */
  flush() {
    clearTimeout(this.retry);
    this.flushing ??= this.send().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  async send() {
    while (this.items.length) {
      const item = this.items[0];
      if (!item.pass && this.journal.has(item.entryId)) {
        // Already stored (its answer was lost, or the tab closed first): nothing to send.
        await this.remove(item);
        this.onChange({ kind: "sent", item });
        continue;
      }
      try {
        await this.deliver(item);
      } catch (error) {
        if (unreachable(error)) return this.wait(item, error);
        // Refused for good (the pen moved, the chapter closed): the caller takes the words back.
        await this.remove(item);
        this.onChange({ kind: "refused", item, error });
        continue;
      }
      await this.remove(item);
      this.waiting = false;
      this.delay = FIRST_RETRY_MS;
      this.onChange({ kind: "sent", item });
    }
  }

  async deliver(item) {
    if (!item.pass) {
      await this.journal.write(item.text, { mirror: item.mirror, entryId: item.entryId, ink: item.ink ?? null });
      return;
    }
    try {
      await this.session.api.passPen();
    } catch (error) {
      // Passed already (the answer to an earlier try was lost): nothing more to do.
      if (!(error instanceof ApiError && String(error.problem?.type).endsWith(":not-your-turn"))) throw error;
    }
    await this.journal.catchUp();
  }

  wait(item, error) {
    this.waiting = true;
    this.onChange({ kind: "waiting", item, error });
    this.retry = setTimeout(() => this.flush(), this.delay);
    this.delay = Math.min(this.delay * 2, MAX_RETRY_MS);
  }

  async remove(item) {
    await withStore(OUTBOX, "readwrite", (s) => s.delete(item.entryId));
    this.items = this.items.filter((other) => other !== item);
  }

  close() {
    clearTimeout(this.retry);
    this.items = [];
  }
}
