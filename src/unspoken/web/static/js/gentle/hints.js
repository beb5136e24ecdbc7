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
import { loadModel } from "./model.js";

const PREFERENCE = "unspoken.gentle";
const DELAY_MS = 250;
const MIRRORED = [
  "boxSizing", "width", "height", "fontFamily", "fontSize", "fontStyle", "fontWeight",
  "fontVariant", "lineHeight", "letterSpacing", "wordSpacing", "textTransform", "textIndent",
  "tabSize", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "borderTopWidth",
  "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "borderTopStyle",
  "borderRightStyle", "borderBottomStyle", "borderLeftStyle", "direction",
];
// What is shown for each category, in the reader's language. The check itself reads English;
// the rules file's own English texts are what the English catalogue says, word for word.
const WORDS = {
  criticism: ["gentle.criticism_label", "gentle.criticism_suggestion", "gentle.criticism_antidote"],
  contempt: ["gentle.contempt_label", "gentle.contempt_suggestion", "gentle.contempt_antidote"],
  defensiveness: ["gentle.defensiveness_label", "gentle.defensiveness_suggestion", "gentle.defensiveness_antidote"],
  stonewalling: ["gentle.stonewalling_label", "gentle.stonewalling_suggestion", "gentle.stonewalling_antidote"],
};

/** {label, suggestion, antidote} for a finding; a category unknown here keeps the rules' words. */
function wordsFor(finding) {
  const keys = WORDS[finding.category];
  if (!keys) return { label: "", suggestion: finding.suggestion, antidote: finding.antidote };
  const [label, suggestion, antidote] = keys.map((key) => t(key));
  return { label, suggestion, antidote };
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(className, text, onclick) {
  const node = el("button", `gentle__button ${className}`, text);
  node.type = "button";
  node.addEventListener("click", onclick);
  return node;
}

function readPreference(storage) {
  try {
    return storage?.getItem(PREFERENCE) !== "off";
  } catch {
    return true;
  }
}

function writePreference(storage, on) {
  try {
    if (on) storage?.removeItem(PREFERENCE);
    else storage?.setItem(PREFERENCE, "off");
  } catch {
    // Private browsing may refuse storage: the choice then lasts until the page closes.
  }
}

/** Build the highlight layer (behind the textarea) and the hint panel (after it). */
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

/** Copy the textarea's box and type onto the mirror so highlights sit under the words. */
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

/** Draw the highlights: the draft's text with each finding wrapped in a <mark>. */
export function renderHighlights(mirror, text, findings) {
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
  panel.replaceChildren(intro, list, el("p", "gentle__footer"));
  panel.lastChild.append(toggle);
  panel.hidden = false;
}

function findingKey(finding) {
  return `${finding.category}\u0000${finding.text.toLowerCase()}`;
}

/** Replace a finding's words with its suggested wording, and select the first "…" to fill. */
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
 */
export function attachGentleCheck(textarea, options = {}) {
  const { delay = DELAY_MS, storage = globalThis.localStorage, onFindings, extras } = options;
  const { frame, backdrop, mirror, panel } = buildFrame(textarea);
  const left = new Set();
  let rules = options.rules ?? null;
  let model = options.model ?? null;
  let enabled = readPreference(storage);
  let timer = null;
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
