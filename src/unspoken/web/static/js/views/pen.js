// The pen: for the partner without it, a calm line saying who holds it and a gentle knock; for
// the holder, word of a knock; for either, the chapter's quiet switch between turns and open.

import { ApiError } from "../api.js";
import { h } from "../dom.js";
import { errorLine, showError, working } from "./frame.js";
import { clock, duration } from "./when.js";

/** "James has the pen", and "Ask for the pen" — at most once in ten minutes, the server says. */
export function penLine({ session, holder }) {
  const said = h("p", { class: "pen-line__said", role: "status" });
  const ask = h("button", {
    type: "button",
    class: "button button--quiet",
    text: "Ask for the pen",
    onclick: async () => {
      said.textContent = "";
      try {
        await working(ask, "Knocking…", () => session.api.askForPen());
        said.textContent = `${holder} will see that you’d like the pen.`;
      } catch (failure) {
        said.textContent = knockRefusal(failure);
      }
    },
  });
  return h(
    "div",
    { class: "pen-line" },
    h("p", { class: "pen-line__who", text: `${holder} has the pen` }),
    h("p", { class: "quiet", text: "Their words will appear here as soon as they’re written." }),
    h("div", { class: "pen-line__ask" }, ask),
    said,
  );
}

/** The 429's own words, and when exactly that is on this person's clock. */
function knockRefusal(failure) {
  if (!(failure instanceof ApiError)) return failure?.message ?? "The knock did not go through.";
  if (failure.status !== 429 || !failure.retryAfter) return failure.message;
  const at = new Date(Date.now() + failure.retryAfter * 1000).toISOString();
  const minutes = Math.max(1, Math.ceil(failure.retryAfter / 60));
  return `You asked a little while ago. You can ask again in ${duration(minutes)}, at ${clock(at)}.`;
}

/** For the holder: the partner knocked. Passing the notebook is one tap away. */
export function knockBanner({ name, at, onPass }) {
  const error = errorLine();
  const pass = h("button", {
    type: "button",
    class: "button button--primary",
    text: `Pass the notebook to ${name}`,
    onclick: async () => {
      try {
        await working(pass, "Passing the notebook…", onPass);
      } catch (failure) {
        showError(error, failure);
      }
    },
  });
  return h(
    "section",
    { class: "card card--knock", role: "status", "aria-label": "A knock" },
    h("p", { class: "card__title", text: `${name} would like the pen` }),
    h("p", { class: "quiet", text: `They knocked at ${clock(at)}. Finish your thought first, if you like.` }),
    h("div", { class: "actions" }, pass),
    error,
  );
}

/**
 * The chapter's mode as two quiet choices. Opening the page to both is the pen holder's to
 * give; either can ask to take turns again, and takes the pen.
 */
export function modeSwitch({ session, mayOpen, onChanged }) {
  const mode = session.notebook.mode;
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
    h("legend", { class: "mode__legend", text: "How you write in this chapter" }),
    h(
      "div",
      { class: "mode__choices" },
      choice("turns", "Take turns", false),
      choice("open", "Both write freely", mode !== "open" && !mayOpen),
    ),
    error,
  );
}
