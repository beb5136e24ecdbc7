// The gentle check in a composer: soft highlights behind the draft and, below it, a kind word
// with the antidote and a wording the writer may take, leave, or switch off for themselves.
// It never blocks sending and never sends anything: the check runs here, on this device.
//
// Usage (see docs/gentle.md):
//   import { attachGentleCheck } from "../gentle/hints.js";
//   const gentle = attachGentleCheck(textarea);      // loads the rules and the model itself
//   …after clearing the textarea in code: gentle.refresh();   on leaving: gentle.detach();
//
// CSP: no inline style attributes in markup; geometry copied from the textarea is set through
// element.style (CSSOM), which a `style-src 'self'` policy allows.

import { language, t } from "../i18n.js";
import { loadRules, utf16Range } from "./check.js";
import { checkDraft } from "./draft.js";
import { loadModel, parseModel } from "./model.js";

/**
 * @import { Finding, Rules, RulesFile } from "./check.js"
 * @import { Model, ModelFile } from "./model.js"
 */

/**
 * What a hint says, in the reader's language.
 * @typedef {object} HintWords
 * @property {string} label
 * @property {string} suggestion
 * @property {string} antidote
 */

/**
 * One more choice the composer adds to a category's hints.
 * @typedef {object} Extra
 * @property {string} label
 * @property {(finding: Finding) => void} run
 */

/**
 * The writer's choices on the hint panel.
 * @typedef {object} HintActions
 * @property {(finding: Finding) => void} use take the suggested wording
 * @property {(finding: Finding) => void} leave leave the words as they are
 * @property {() => void} toggle switch the check off, or on again
 */

/**
 * @typedef {object} HintsOptions
 * @property {boolean} [enabled]
 * @property {HintActions} on
 * @property {Record<string, Extra>} [extras] category → one more choice on its hints
 */

/**
 * The elements the check adds around a textarea.
 * @typedef {object} Frame
 * @property {HTMLDivElement} frame
 * @property {HTMLDivElement} backdrop
 * @property {HTMLDivElement} mirror
 * @property {HTMLDivElement} panel
 */

/**
 * @typedef {object} GentleOptions
 * @property {RulesFile | Rules | null} [rules]
 * @property {ModelFile | Model | null} [model]
 * @property {number} [delay] debounce, ms
 * @property {Storage | null} [storage] where the writer's on/off choice is kept
 * @property {(findings: Finding[]) => void} [onFindings]
 * @property {Record<string, Extra>} [extras]
 */

/**
 * What attachGentleCheck() gives the composer.
 * @typedef {object} GentleCheck
 * @property {() => void} refresh
 * @property {Finding[]} findings what is shown now
 * @property {boolean} enabled
 * @property {() => void} detach
 */

const PREFERENCE = "unspoken.gentle";
const DELAY_MS = 250;
const MIRRORED = /** @type {const} */ ([
  "boxSizing", "width", "height", "fontFamily", "fontSize", "fontStyle", "fontWeight",
  "fontVariant", "lineHeight", "letterSpacing", "wordSpacing", "textTransform", "textIndent",
  "tabSize", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "borderTopWidth",
  "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "borderTopStyle",
  "borderRightStyle", "borderBottomStyle", "borderLeftStyle", "direction",
]);
// What is shown for each category, in the reader's language. The check itself reads English;
// the rules file's own English texts are what the English catalogue says, word for word.
/** @type {Record<string, [string, string, string]>} */
const WORDS = {
  criticism: ["gentle.criticism_label", "gentle.criticism_suggestion", "gentle.criticism_antidote"],
  contempt: ["gentle.contempt_label", "gentle.contempt_suggestion", "gentle.contempt_antidote"],
  defensiveness: ["gentle.defensiveness_label", "gentle.defensiveness_suggestion", "gentle.defensiveness_antidote"],
  stonewalling: ["gentle.stonewalling_label", "gentle.stonewalling_suggestion", "gentle.stonewalling_antidote"],
};

/**
 * {label, suggestion, antidote} for a finding; a category unknown here keeps the rules' words.
 * @param {Finding} finding
 * @returns {HintWords}
 */
function wordsFor(finding) {
  const keys = WORDS[finding.category];
  if (!keys) return { label: "", suggestion: finding.suggestion, antidote: finding.antidote };
  const [label, suggestion, antidote] = keys.map((key) => t(key));
  return { label, suggestion, antidote };
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * @param {string} className
 * @param {string} text
 * @param {() => void} onclick
 * @returns {HTMLButtonElement}
 */
function button(className, text, onclick) {
  const node = el("button", `gentle__button ${className}`, text);
  node.type = "button";
  node.addEventListener("click", onclick);
  return node;
}

/**
 * @param {Storage | null | undefined} storage
 * @returns {boolean}
 */
function readPreference(storage) {
  try {
    return storage?.getItem(PREFERENCE) !== "off";
  } catch {
    return true;
  }
}

/**
 * @param {Storage | null | undefined} storage
 * @param {boolean} on
 */
function writePreference(storage, on) {
  try {
    if (on) storage?.removeItem(PREFERENCE);
    else storage?.setItem(PREFERENCE, "off");
  } catch {
    // Private browsing may refuse storage: the choice then lasts until the page closes.
  }
}

/**
 * Build the highlight layer (behind the textarea) and the hint panel (after it).
 * @param {HTMLTextAreaElement} textarea
 * @returns {Frame}
 */
function buildFrame(textarea) {
  const frame = el("div", "gentle");
  const backdrop = el("div", "gentle__backdrop");
  backdrop.setAttribute("aria-hidden", "true");
  const mirror = el("div", "gentle__mirror");
  backdrop.append(mirror);
  const panel = el("div", "gentle__hints");
  panel.setAttribute("role", "region");
  panel.setAttribute("aria-label", t("gentle.region"));
  textarea.replaceWith(frame);
  frame.append(backdrop, textarea);
  frame.after(panel);
  textarea.classList.add("gentle__field");
  return { frame, backdrop, mirror, panel };
}

/**
 * Copy the textarea's box and type onto the mirror so highlights sit under the words.
 * @param {HTMLTextAreaElement} textarea
 * @param {HTMLElement} backdrop
 * @param {HTMLElement} mirror
 */
function syncGeometry(textarea, backdrop, mirror) {
  const style = getComputedStyle(textarea);
  for (const name of MIRRORED) mirror.style[name] = style[name];
  mirror.style.borderColor = "transparent";
  mirror.style.width = `${textarea.offsetWidth}px`;
  mirror.style.minHeight = `${textarea.offsetHeight}px`;
  backdrop.style.width = `${textarea.offsetWidth}px`;
  backdrop.style.height = `${textarea.offsetHeight}px`;
  backdrop.style.top = `${textarea.offsetTop}px`;
  backdrop.style.left = `${textarea.offsetLeft}px`;
  backdrop.scrollTop = textarea.scrollTop;
}

/**
 * Draw the highlights: the draft's text with each finding wrapped in a <mark>.
 * @param {HTMLElement} mirror
 * @param {string} text
 * @param {Finding[]} findings
 */
export function renderHighlights(mirror, text, findings) {
  /** @type {Node[]} */
  const parts = [];
  let at = 0;
  for (const finding of findings) {
    const [start, end] = utf16Range(text, finding);
    // Findings may overlap (one clause both criticism and contempt): the first is drawn.
    if (start < at) continue;
    parts.push(document.createTextNode(text.slice(at, start)));
    const mark = el("mark", `gentle__mark gentle__mark--${finding.category}`, text.slice(start, end));
    parts.push(mark);
    at = end;
  }
  // A trailing newline needs a character after it, or the mirror is one line short.
  parts.push(document.createTextNode(`${text.slice(at)}\u200b`));
  mirror.replaceChildren(...parts);
}

/**
 * @param {Finding} finding
 * @param {{onUse: (finding: Finding) => void, onLeave: (finding: Finding) => void, extra?: Extra}} choices
 * @returns {HTMLLIElement}
 */
function hintItem(finding, { onUse, onLeave, extra }) {
  const item = el("li", `gentle__hint gentle__hint--${finding.category}`);
  item.dataset.category = finding.category;
  const words = wordsFor(finding);
  item.append(
    el("p", "gentle__quote", t("gentle.quote", { text: finding.text })),
    el("p", "gentle__label", words.label),
    el("p", "gentle__suggestion", words.suggestion),
    el("p", "gentle__antidote", t("gentle.try_instead", { antidote: words.antidote })),
  );
  const actions = el("div", "gentle__actions");
  if (finding.rewrite) {
    item.append(el("p", "gentle__rewrite", t("gentle.perhaps", { rewrite: finding.rewrite })));
    actions.append(button("gentle__use", t("gentle.use"), () => onUse(finding)));
  }
  actions.append(button("gentle__leave", t("gentle.leave"), () => onLeave(finding)));
  // The composer may offer a next step of its own (stonewalling: "Ask for time instead").
  if (extra) actions.append(button("gentle__extra", extra.label, () => extra.run(finding)));
  item.append(actions);
  return item;
}

/**
 * Render the hint panel for some findings: a short list, and the writer's own off switch.
 * `on.use(finding)`, `on.leave(finding)` and `on.toggle()` are the writer's choices;
 * `extras[category]` ({label, run(finding)}) adds one more button to that category's hints.
 * @param {HTMLElement} panel
 * @param {Finding[]} findings
 * @param {HintsOptions} options
 */
export function renderHints(panel, findings, { enabled = true, on, extras = {} }) {
  const toggle = button(
    "gentle__toggle",
    enabled ? t("gentle.turn_off") : t("gentle.turn_on"),
    () => on.toggle(),
  );
  if (!enabled || findings.length === 0) {
    panel.replaceChildren(enabled ? "" : toggle);
    panel.hidden = enabled;
    return;
  }
  const list = el("ul", "gentle__list");
  for (const finding of findings) {
    const extra = extras[finding.category];
    list.append(hintItem(finding, { onUse: on.use, onLeave: on.leave, extra }));
  }
  const intro = el("p", "gentle__intro", t("gentle.intro"));
  intro.setAttribute("aria-live", "polite");
  const footer = el("p", "gentle__footer");
  panel.replaceChildren(intro, list, footer);
  footer.append(toggle);
  panel.hidden = false;
}

/**
 * @param {Finding} finding
 * @returns {string}
 */
function findingKey(finding) {
  return `${finding.category}\u0000${finding.text.toLowerCase()}`;
}

/**
 * Replace a finding's words with its suggested wording, and select the first "…" to fill.
 * @param {HTMLTextAreaElement} textarea
 * @param {string} text the draft the finding was read in
 * @param {Finding} finding
 * @returns {boolean} whether the draft changed
 */
function useRewrite(textarea, text, finding) {
  if (textarea.value !== text || !finding.rewrite) return false;
  const [start, spanEnd] = utf16Range(text, finding);
  // The wording ends its own sentence; absorb the draft's end mark so it isn't doubled.
  const end = /[.!?…]$/u.test(finding.rewrite)
    ? spanEnd + (text.slice(spanEnd).match(/^[.!?…]+/u)?.[0].length ?? 0)
    : spanEnd;
  textarea.value = text.slice(0, start) + finding.rewrite + text.slice(end);
  const gap = finding.rewrite.indexOf("…");
  const caret = start + (gap >= 0 ? gap : finding.rewrite.length);
  textarea.focus();
  textarea.setSelectionRange(caret, gap >= 0 ? caret + 1 : caret);
  // Let the composer notice, as if the writer had typed it.
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
  return true;
}

/**
 * Attach the gentle check to a draft textarea. Options: `rules` (compiled or raw; loaded from
 * static/gentle/rules.json when absent), `model` (parsed or raw; loaded from
 * static/gentle/model.json.gz when absent; the draft is read in the page's language), `delay` (debounce, ms), `storage` (for the writer's
 * on/off choice; localStorage by default), `onFindings(findings)` (for the composer, if it
 * wants to know; it must not block on them), `extras` ({category: {label, run(finding)}}: one
 * more choice on that category's hints).
 * @param {HTMLTextAreaElement} textarea
 * @param {GentleOptions} [options]
 * @returns {GentleCheck}
 */
export function attachGentleCheck(textarea, options = {}) {
  const { delay = DELAY_MS, storage = globalThis.localStorage, onFindings, extras } = options;
  const { frame, backdrop, mirror, panel } = buildFrame(textarea);
  /** @type {Set<string>} */
  const left = new Set();
  let rules = options.rules ?? null;
  let model = options.model ? parseModel(options.model) : null;
  let enabled = readPreference(storage);
  /** @type {number | undefined} */
  let timer;
  /** @type {{text: string, findings: Finding[]}} */
  let shown = { text: "", findings: [] };

  const draw = () => {
    const text = textarea.value;
    const all = enabled && (rules || model) ? checkDraft(text, { rules, model, language: language() }) : [];
    const findings = all.filter((f) => !left.has(findingKey(f)));
    shown = { text, findings };
    frame.classList.toggle("gentle--off", !enabled);
    syncGeometry(textarea, backdrop, mirror);
    renderHighlights(mirror, text, findings);
    renderHints(panel, findings, { enabled, on: actions, extras });
    onFindings?.(findings);
  };
  /** @type {HintActions} */
  const actions = {
    use: (finding) => {
      if (!useRewrite(textarea, shown.text, finding)) draw();
    },
    leave: (finding) => {
      left.add(findingKey(finding));
      draw();
      textarea.focus();
    },
    toggle: () => {
      enabled = !enabled;
      writePreference(storage, enabled);
      draw();
    },
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(draw, delay);
  };
  const follow = () => {
    backdrop.scrollTop = textarea.scrollTop;
  };
  const resized = new ResizeObserver(() => syncGeometry(textarea, backdrop, mirror));

  textarea.addEventListener("input", schedule);
  textarea.addEventListener("scroll", follow);
  resized.observe(textarea);
  if (!rules) {
    loadRules()
      .then((loaded) => {
        rules = loaded;
        draw();
      })
      .catch(() => {
        // Without rules there is nothing to say; the composer works exactly as before.
        panel.hidden = true;
      });
  }
  if (!model) {
    loadModel()
      .then((loaded) => {
        model = loaded;
        draw();
      })
      .catch(() => {
        // Without the model the rules still speak (in English); nothing else changes.
      });
  }
  draw();

  return {
    /** Check again now (after the composer changes the text in code, e.g. clears it). */
    refresh: draw,
    get findings() {
      return shown.findings;
    },
    get enabled() {
      return enabled;
    },
    /** Undo attachGentleCheck: the textarea goes back where it was, unchanged. */
    detach() {
      clearTimeout(timer);
      resized.disconnect();
      textarea.removeEventListener("input", schedule);
      textarea.removeEventListener("scroll", follow);
      textarea.classList.remove("gentle__field");
      frame.replaceWith(textarea);
      panel.remove();
    },
  };
}
