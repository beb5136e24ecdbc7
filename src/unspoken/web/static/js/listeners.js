// Listeners that outlive an element (on window, on document) and timers belong to whoever
// opened the screen that needed them: each is added through one Listeners and undone with it,
// so leaving a notebook (another route, a language chosen) leaves nothing behind listening.

export class Listeners {
  constructor() {
    this.undo = [];
    this.released = false;
  }

  /** target.addEventListener, undone by release(); nothing is added once released. */
  on(target, type, handler, options) {
    if (this.released) return;
    target.addEventListener(type, handler, options);
    this.undo.push(() => target.removeEventListener(type, handler, options));
  }

  /** Anything else to undo on release (a timer, a stream); undone at once if released. */
  add(undo) {
    if (this.released) undo();
    else this.undo.push(undo);
  }

  /** Undo everything, newest first; safe to call twice. */
  release() {
    this.released = true;
    for (const undo of this.undo.splice(0).reverse()) undo();
  }
}
