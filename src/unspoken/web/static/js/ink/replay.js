// Strokes forming on the partner's page. Draft frames come a few times a second (the server
// relays at most five a second per device), each with every stroke so far; painting each one
// as it lands would make the writing jump a word-piece at a time. Instead the new points are
// drawn at the pace they were written, from each point's time (t): the partner sees the pen
// move, a fraction of a second behind the writer. When frames fall behind (a slow network),
// the replay hurries to catch up rather than drift further; a gap while the writer paused is
// skipped, not waited out. The svg's data-upto says up to which moment (t) it has painted.

import { inkBox, strokePath, svg } from "./render.js";

// Further behind than this, the replay speeds up to catch up within about CATCH_UP_MS.
const BEHIND_MS = 450;
const CATCH_UP_MS = 300;

/** True when `before` is where `after` began: the same strokes, each one at most grown. */
function grewFrom(before, after) {
  if (after.length < before.length) return false;
  return before.every((stroke, i) => {
    const next = after[i];
    if (next.length < stroke.length) return false;
    const last = stroke.length - 1;
    return last < 0 || (next[last][0] === stroke[last][0] && next[last][1] === stroke[last][1] && next[last][2] === stroke[last][2]);
  });
}

/**
 * {element, show(strokes), clear()}: `element` is an <svg class="ink"> whose paths follow the
 * strokes shown, replayed at their own pace. `label` names it for a screen reader.
 */
export function inkReplay({ className = "ink" } = {}) {
  const element = svg("svg", { class: className, role: "img", focusable: "false" });
  let strokes = [];
  let paths = [];
  let upto = -1; // the moment (t) painted so far
  let frame = 0;
  let last = 0; // the page's clock at the previous paint

  const latest = () => strokes.at(-1)?.at(-1)?.[2] ?? 0;

  function size() {
    element.setAttribute("viewBox", inkBox(strokes));
  }

  function paint(now) {
    const end = latest();
    const behind = end - upto;
    const speed = behind > BEHIND_MS ? behind / CATCH_UP_MS : 1;
    upto = Math.min(end, upto + Math.max(0, now - last) * speed);
    last = now;
    strokes.forEach((stroke, i) => {
      let count = 0;
      while (count < stroke.length && stroke[count][2] <= upto) count++;
      const done = count === stroke.length && i < strokes.length - 1;
      // Only a stroke whose painted part changed is outlined again.
      const key = `${count}/${done}`;
      if (paths[i].dataset.painted === key) return;
      paths[i].dataset.painted = key;
      paths[i].setAttribute("d", count ? strokePath(stroke.slice(0, count), done) : "");
    });
    element.dataset.upto = String(Math.floor(upto));
    frame = upto < end ? requestAnimationFrame(paint) : 0;
  }

  function start() {
    if (frame) return;
    last = performance.now();
    frame = requestAnimationFrame(paint);
  }

  return {
    element,
    /** The strokes so far (a frame's ink); what is new is drawn at the pace it was written. */
    show(next) {
      const continues = grewFrom(strokes, next);
      strokes = next;
      size();
      while (paths.length < strokes.length) {
        const path = svg("path", { class: "ink__stroke" });
        paths.push(path);
        element.append(path);
      }
      for (const path of paths.splice(strokes.length)) path.remove();
      if (!continues) {
        // Undone or cleared: show the strokes as they now are, at once.
        upto = latest();
        paint(performance.now());
        return;
      }
      // The first point not yet painted: a pause before it is not waited out.
      const pending = strokes.flat().find((point) => point[2] > upto);
      if (pending) upto = Math.max(upto, pending[2] - 1);
      start();
    },
    clear() {
      cancelAnimationFrame(frame);
      frame = 0;
      strokes = [];
      upto = -1;
      for (const path of paths) path.remove();
      paths = [];
      delete element.dataset.upto;
    },
  };
}
