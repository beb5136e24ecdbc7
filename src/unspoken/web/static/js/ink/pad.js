// The writing pad: a lined sheet the width of the composer, written on with a finger, a pen or
// the mouse through Pointer Events. Every point is kept as the protocol has it, [x, y, t, p]
// in whole numbers: x and y in ink units (the sheet is INK_WIDTH wide whatever its pixels, so
// the writing scales to any screen), t in milliseconds since the entry's first point, p the
// pressure 0..255 (NO_PRESSURE when the device gives none, as a mouse does). The coalesced
// events a browser gathers between two frames are kept too, so a quick line stays smooth.
// The sheet grows a line whenever the writing reaches its last one. A page holds what one
// entry may (INK_LIMITS, js/protocol/ink.js): once full, it says so and takes no more strokes.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { INK_LIMITS, checkInk } from "../protocol/ink.js";
import { INK_WIDTH, LINE, NO_PRESSURE, linesFor, strokeElement, strokePath, svg } from "./render.js";

/** A fresh sheet has this many lines; the writing adds more as it reaches the last. */
export const FIRST_LINES = 3;
// Strokes restored from a kept draft go on as if the writer had paused this long.
const RESUME_GAP_MS = 400;

/**
 * Strokes `then` written after `first` on one page: moved below it, and later in time, so the
 * whole stays one entry's ink (t never going back). Used when words the server refused come
 * back to a pad that already holds new ones.
 */
export function joinInk(first, then) {
  if (!first.length || !then.length) return [...first, ...then];
  const below = linesFor(first) * LINE;
  const after = (first.at(-1).at(-1)[2] ?? 0) + RESUME_GAP_MS - (then[0][0]?.[2] ?? 0);
  const moved = then.map((stroke) =>
    stroke.map(([x, y, time, p]) => [x, Math.min(INK_LIMITS.y, y + below), time + after, p]),
  );
  return [...first, ...moved];
}

/** A point's pressure from its event: the device's, or the "none given" value. */
function pressureOf(event) {
  if (event.pointerType === "mouse" || !(event.pressure > 0)) return NO_PRESSURE;
  return Math.max(1, Math.min(255, Math.round(event.pressure * 255)));
}

/**
 * {element, tools, strokes(), set(strokes), undo(), clear(), empty}: `onChange(strokes, ended)`
 * after every change — while a stroke is drawn (`ended` false, the stroke so far included)
 * and once it ends, is undone or the sheet is cleared (`ended` true).
 */
export function inkPad({ onChange = () => {}, label = t("ink.pad_label") } = {}) {
  /** @type {number[][][]} */
  let strokes = [];
  let cleared = null; // what "Clear" took away, until another stroke is drawn
  let current = null; // {id, points, path} while a pointer draws
  let base = null; // the page's clock (event.timeStamp) at the entry's first point
  let lines = FIRST_LINES;
  let frame = 0;

  const rules = svg("g", { class: "pad__rules" });
  const written = svg("g", { class: "pad__ink" });
  const sheet = svg("svg", { class: "pad__sheet", "aria-hidden": "true", focusable: "false" });
  sheet.append(rules, written);
  const hint = h("p", { class: "pad__hint", id: "pad-hint", text: t("ink.pad_hint") });
  const full = h("p", { class: "pad__full", role: "status" });
  const element = h(
    "div",
    { class: "pad", role: "group", "aria-label": label, "aria-describedby": hint.id },
    sheet,
    hint,
    full,
  );
  const undoButton = h("button", { type: "button", class: "button button--quiet pad__undo", text: t("ink.undo") });
  const clearButton = h("button", { type: "button", class: "button button--quiet pad__clear", text: t("ink.clear") });
  const tools = h("div", { class: "pad__tools" }, undoButton, clearButton);

  function size() {
    const height = lines * LINE;
    sheet.setAttribute("viewBox", `0 0 ${INK_WIDTH} ${height}`);
    const ruled = [];
    // Each line's rule sits a little above its foot, where handwriting rests.
    for (let n = 1; n <= lines; n++) {
      const y = n * LINE - LINE * 0.18;
      ruled.push(svg("line", { x1: 0, x2: INK_WIDTH, y1: y, y2: y, class: "pad__rule" }));
    }
    rules.replaceChildren(...ruled);
  }

  const pointCount = () => strokes.reduce((sum, stroke) => sum + stroke.length, 0);
  let tooMuch = false; // a stroke was refused for making the page too large to seal
  const isFull = () => tooMuch || strokes.length >= INK_LIMITS.strokes || pointCount() >= INK_LIMITS.points;

  function grow(y) {
    const wanted = Math.max(lines, linesFor([[[0, y]]]) + 1);
    if (wanted !== lines) {
      lines = wanted;
      size();
    }
  }

  /** Draw every stroke again (undo, clear, strokes put back), then settle the rest. */
  function refresh() {
    written.replaceChildren(...strokes.map((stroke) => strokeElement(stroke)));
    if (current) written.append(current.path);
    settle();
  }

  /** The lines, the hint, the buttons and the "full" note, as the strokes now stand. */
  function settle() {
    lines = Math.max(FIRST_LINES, linesFor(strokes) + 1);
    size();
    hint.hidden = strokes.length > 0 || current !== null;
    undoButton.disabled = strokes.length === 0 && !cleared;
    clearButton.disabled = strokes.length === 0;
    full.textContent = isFull() ? t("ink.page_full") : "";
  }

  const lastT = () => strokes.at(-1)?.at(-1)?.[2] ?? 0;

  function point(event) {
    const box = sheet.getBoundingClientRect();
    const scale = INK_WIDTH / (box.width || 1);
    const x = Math.round((event.clientX - box.left) * scale);
    const y = Math.round((event.clientY - box.top) * scale);
    const previous = current.points.at(-1)?.[2] ?? lastT();
    const time = Math.max(previous, Math.round(event.timeStamp - base));
    return [
      Math.max(0, Math.min(INK_WIDTH, x)),
      Math.max(0, Math.min(lines * LINE, INK_LIMITS.y, y)),
      time,
      pressureOf(event),
    ];
  }

  const everything = () => (current ? [...strokes, current.points] : strokes);

  function paint() {
    frame = 0;
    if (!current) return;
    current.path.setAttribute("d", strokePath(current.points, false));
    onChange(everything(), false);
  }

  function add(event) {
    const events = event.getCoalescedEvents?.() ?? [];
    for (const one of events.length ? events : [event]) {
      const next = point(one);
      const last = current.points.at(-1);
      if (last && last[0] === next[0] && last[1] === next[1]) continue;
      if (pointCount() + current.points.length >= INK_LIMITS.points) break;
      current.points.push(next);
      grow(next[1]);
    }
    frame ||= requestAnimationFrame(paint);
  }

  sheet.addEventListener("pointerdown", (event) => {
    if (current || (event.pointerType === "mouse" && event.button !== 0)) return;
    if (isFull()) {
      full.textContent = t("ink.page_full");
      return;
    }
    event.preventDefault();
    try {
      sheet.setPointerCapture(event.pointerId); // the stroke goes on past the sheet's edge
    } catch {
      // A pointer the browser no longer tracks: the stroke simply ends at the edge.
    }
    if (strokes.length === 0) base = event.timeStamp;
    else base ??= event.timeStamp - lastT() - RESUME_GAP_MS;
    cleared = null;
    current = { id: event.pointerId, points: [], path: svg("path", { class: "ink__stroke" }) };
    written.append(current.path);
    hint.hidden = true;
    add(event);
  });
  sheet.addEventListener("pointermove", (event) => {
    if (current?.id === event.pointerId) add(event);
  });
  const end = (event) => {
    if (current?.id !== event.pointerId) return;
    if (event.type === "pointerup") add(event);
    cancelAnimationFrame(frame);
    frame = 0;
    const { points: done, path } = current;
    current = null;
    try {
      checkInk([...strokes, done]);
      strokes = [...strokes, done];
      // Only the stroke just ended is outlined again, now with its end.
      path.setAttribute("d", strokePath(done, true));
    } catch {
      // Past what one entry may hold (its size once packed): this stroke is not kept.
      tooMuch = done.length > 0;
      path.remove();
    }
    settle();
    onChange(strokes, true);
  };
  sheet.addEventListener("pointerup", end);
  sheet.addEventListener("pointercancel", end);
  // A long press must not open a menu over the writing.
  sheet.addEventListener("contextmenu", (event) => event.preventDefault());

  undoButton.addEventListener("click", () => {
    tooMuch = false;
    if (strokes.length === 0 && cleared) {
      strokes = cleared;
      cleared = null;
    } else {
      strokes = strokes.slice(0, -1);
    }
    refresh();
    onChange(strokes, true);
  });
  clearButton.addEventListener("click", () => {
    if (!strokes.length) return;
    cleared = strokes;
    strokes = [];
    tooMuch = false;
    base = null;
    refresh();
    onChange(strokes, true);
  });

  refresh();
  return {
    element,
    tools,
    strokes: () => strokes,
    get empty() {
      return strokes.length === 0 && current === null;
    },
    /** Put strokes on the sheet (a kept draft, words the server sent back, or none). */
    set(next) {
      strokes = next ?? [];
      cleared = null;
      tooMuch = false;
      base = null;
      refresh();
    },
  };
}
