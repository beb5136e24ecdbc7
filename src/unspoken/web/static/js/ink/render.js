// Handwriting drawn as SVG: each stroke becomes one filled path, the outline perfect-freehand
// (js/vendor/perfect-freehand.js, MIT) computes around its points, so a line thins and swells
// with the writer's pressure (or, from a mouse or a finger that gives none, with its speed).
// Ink is 1000 units wide whatever the screen (INK_WIDTH); an SVG's viewBox scales it to any
// width, and it prints and goes into the keepsake as the same vectors. The paths are filled
// with currentColor: the element that holds them is dressed in the writer's hand (hands.js),
// so their ink is the writer's and is lifted for dark paper like their typed words.

import { t } from "../i18n.js";
import { getStroke } from "../vendor/perfect-freehand.js";

const SVG = "http://www.w3.org/2000/svg";

export const INK_WIDTH = 1000;
/** One ruled line of the pad, in ink units: about a finger's handwriting on a phone. */
export const LINE = 125;
/** A device that gives no pressure writes at this one (the protocol's "none given"). */
export const NO_PRESSURE = 128;

// The pen's nib, in ink units: about 3 px on a phone, 6 on a laptop's page.
const NIB = {
  size: 7,
  thinning: 0.5,
  smoothing: 0.55,
  streamline: 0.45,
  start: { taper: 8, cap: true },
  end: { taper: 8, cap: true },
};

/** An SVG element in the SVG namespace, with attributes. */
export function svg(tag, attributes = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/** Whether a stroke's points carry a pressure the device gave (not the "none given" 128). */
function pressed(stroke) {
  return stroke.some((point) => point[3] !== NO_PRESSURE);
}

/**
 * The outline of one stroke ([[x, y, t, p], …]) as an SVG path's `d`: perfect-freehand's
 * polygon, joined with quadratic curves through the midpoints of its sides (the library's own
 * recipe). `done` is false while the stroke is still being drawn.
 */
export function strokePath(stroke, done = true) {
  if (!stroke.length) return "";
  const real = pressed(stroke);
  const points = stroke.map(([x, y, , p]) => [x, y, real ? Math.max(p, 8) / 255 : 0.5]);
  const outline = getStroke(points, { ...NIB, simulatePressure: !real, last: done });
  if (outline.length < 3) return "";
  const round = (n) => Math.round(n * 10) / 10;
  const parts = [`M${round(outline[0][0])},${round(outline[0][1])}Q`];
  for (let i = 0; i < outline.length; i++) {
    const [x0, y0] = outline[i];
    const [x1, y1] = outline[(i + 1) % outline.length];
    parts.push(`${round(x0)},${round(y0)} ${round((x0 + x1) / 2)},${round((y0 + y1) / 2)} `);
  }
  parts.push("Z");
  return parts.join("");
}

/** The lowest point any stroke reaches, in ink units (0 for none). */
export function inkDepth(strokes) {
  let deepest = 0;
  for (const stroke of strokes) for (const point of stroke) deepest = Math.max(deepest, point[1]);
  return deepest;
}

/** How many ruled lines the strokes fill (at least `least`). */
export function linesFor(strokes, least = 1) {
  return Math.max(least, Math.ceil((inkDepth(strokes) + LINE * 0.3) / LINE));
}

/** One stroke's path element. */
export function strokeElement(stroke, done = true) {
  return svg("path", { d: strokePath(stroke, done), class: "ink__stroke" });
}

/**
 * The part of the page the writing covers, top to bottom, as a viewBox: the whole width (so
 * handwriting keeps one size from line to line and page to page), from a little above its
 * highest point to a little below its lowest.
 */
export function inkBox(strokes) {
  let top = Infinity;
  let bottom = 0;
  for (const stroke of strokes) {
    for (const point of stroke) {
      top = Math.min(top, point[1]);
      bottom = Math.max(bottom, point[1]);
    }
  }
  if (top === Infinity) return `0 0 ${INK_WIDTH} ${LINE}`;
  const from = Math.max(0, Math.floor(top - LINE * 0.2));
  return `0 ${from} ${INK_WIDTH} ${Math.ceil(bottom + LINE * 0.2) - from}`;
}

/**
 * Handwriting as an image a screen reader names: `<svg role="img" aria-label=…>`, as tall as
 * the writing, its strokes in currentColor. `label` says who wrote it and what it says
 * (inkLabel).
 */
export function inkImage(strokes, { label, className = "ink" } = {}) {
  const image = svg("svg", {
    viewBox: inkBox(strokes),
    class: className,
    role: "img",
    focusable: "false",
  });
  if (label) image.setAttribute("aria-label", label);
  for (const stroke of strokes) image.append(strokeElement(stroke));
  return image;
}

/** What a screen reader hears of handwriting: who wrote it, then its transcript if any. */
export function inkLabel(name, transcript) {
  const text = transcript?.trim();
  return text ? t("ink.written_by_saying", { name, text }) : t("ink.written_by", { name });
}
