// The pen: for the partner without it, a calm line saying who holds it and a gentle knock; for
// the holder, word of a knock; for either, the chapter's quiet switch between turns and open.

import { ApiError } from "../api.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { errorLine, plainWords, showError, working } from "./frame.js";
import { clock, duration } from "./when.js";

/** "James has the pen", and "Ask for the pen" — at most once in ten minutes, the server says. */
export function penLine({ session, holder }) {
  const said = h("p", { class: "pen-line__said", role: "status" });
  const ask = h("button", {
    type: "button",
    class: "button button--quiet",
    text: t("pen.ask"),
    onclick: async () => {
      said.textContent = "";
      try {
        await working(ask, t("pen.knocking"), () => session.api.askForPen());
        said.textContent = t("pen.will_see", { name: holder });
      } catch (failure) {
        said.textContent = knockRefusal(failure);
      }
    },
  });
  return h(
    "div",
    { class: "pen-line" },
    h("p", { class: "pen-line__who", text: t("pen.has_pen", { name: holder }) }),
    h("p", { class: "quiet", text: t("pen.appear") }),
    h("div", { class: "pen-line__ask" }, ask),
    said,
  );
}

/** The 429's own words, and when exactly that is on this person's clock. */
function knockRefusal(failure) {
  if (!(failure instanceof ApiError)) return failure?.message ? plainWords(failure) : t("pen.knock_failed");
  if (failure.status !== 429 || !failure.retryAfter) return plainWords(failure);
  const at = new Date(Date.now() + failure.retryAfter * 1000).toISOString();
  const minutes = Math.max(1, Math.ceil(failure.retryAfter / 60));
  return t("pen.ask_again", { duration: duration(minutes), time: clock(at) });
}

/**
 * For the holder: the partner knocked. Passing the notebook is one tap away; "Not now" sets
 * this knock aside on this screen, and the holder goes on writing.
 */
export function knockBanner({ name, at, onPass, onLater }) {
  const error = errorLine();
  const pass = h("button", {
    type: "button",
    class: "button button--primary",
    text: t("pen.pass", { name }),
    onclick: async () => {
      try {
        await working(pass, t("pen.passing"), onPass);
      } catch (failure) {
        showError(error, failure);
      }
    },
  });
  return h(
    "section",
    { class: "card card--knock", role: "status", "aria-label": t("pen.knock_label") },
    h("p", { class: "card__title", text: t("pen.would_like", { name }) }),
    h("p", { class: "quiet", text: t("pen.knocked_at", { time: clock(at) }) }),
    h(
      "div",
      { class: "actions" },
      pass,
      onLater ? h("button", { type: "button", class: "button button--quiet", text: t("pen.not_now"), onclick: onLater }) : null,
    ),
    error,
  );
}

/**
 * The chapter's mode as two quiet choices. Opening the page to both is the pen holder's to
 * give; either can ask to take turns again, and takes the pen.
 */
export function modeSwitch({ session, mayOpen, onChanged }) {
  const mode = session.shown().mode;
  const error = errorLine();
  const choice = (value, text, disabled) => {
    const input = h("input", {
      type: "radio",
      name: "mode",
      value,
      class: "mode__input",
      checked: mode === value,
      disabled,
    });
    input.addEventListener("change", async () => {
      try {
        await session.api.setMode(value);
        await onChanged();
      } catch (failure) {
        showError(error, failure);
      }
    });
    return h("label", { class: "mode__choice" }, input, h("span", { text }));
  };
  return h(
    "fieldset",
    { class: "mode" },
    h("legend", { class: "mode__legend", text: t("pen.mode_legend") }),
    h(
      "div",
      { class: "mode__choices" },
      choice("turns", t("pen.turns"), false),
      choice("open", t("pen.open"), mode !== "open" && !mayOpen),
    ),
    error,
  );
}
