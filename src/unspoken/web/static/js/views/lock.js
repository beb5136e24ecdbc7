// The passphrase lock of this device: set or remove it from "Your devices", and the screen that
// asks for it when a locked notebook opens. Unlocked keys live only in this page's memory.

import { h, show } from "../dom.js";
import { t } from "../i18n.js";
import { Session } from "../session.js";
import { updateNotebook, useLocalKey } from "../store.js";
import { relock } from "../vault.js";
import { errorLine, sheet, showError, working } from "./frame.js";

const MIN_PASSPHRASE = 8;

function field(id, text, autocomplete) {
  const input = h("input", { id, type: "password", class: "field__input", autocomplete });
  return { input, element: h("div", { class: "field" }, h("label", { for: id, class: "field__label", text }), input) };
}

/** The lock's part of "Your devices": set a passphrase, or remove the one set. */
export function lockSection({ session }) {
  const section = h("section", { class: "lock", "aria-label": t("devices.lock_title") });
  const error = errorLine();
  const done = h("p", { class: "quiet", role: "status" });
  const draw = () => {
    error.hidden = true;
    if (session.locked) {
      const remove = h("button", { type: "button", class: "button button--quiet", text: t("devices.unlock_remove") });
      remove.addEventListener("click", async () => {
        try {
          await apply(null);
          done.textContent = t("devices.unlocked_for_good");
          draw();
        } catch (failure) {
          showError(error, failure);
        }
      });
      section.replaceChildren(h("h3", { text: t("devices.lock_title") }), h("p", { class: "quiet", text: t("devices.lock_on") }), remove, error, done);
      return;
    }
    const first = field("lock-passphrase", t("devices.lock_field"), "new-password");
    const again = field("lock-passphrase-again", t("devices.lock_again"), "new-password");
    const button = h("button", { type: "submit", class: "button", text: t("devices.lock_button") });
    const onsubmit = async (event) => {
      event.preventDefault();
      error.hidden = true;
      const passphrase = first.input.value;
      if (passphrase.length < MIN_PASSPHRASE) return showError(error, new Error(t("devices.lock_short", { count: MIN_PASSPHRASE })));
      if (passphrase !== again.input.value) return showError(error, new Error(t("devices.lock_differ")));
      try {
        await working(button, t("devices.lock_working"), () => apply(passphrase));
        done.textContent = t("devices.locked");
        draw();
      } catch (failure) {
        showError(error, failure);
      }
    };
    section.replaceChildren(
      h("h3", { text: t("devices.lock_title") }),
      h("p", { class: "quiet", text: t("devices.lock_lede") }),
      h("form", { class: "form", onsubmit }, first.element, again.element, h("div", { class: "actions" }, button)),
      error,
      done,
    );
  };
  const apply = async (passphrase) => {
    const { vault, key } = await relock(session.record, session.unlocked.key, passphrase);
    session.record = await updateNotebook(session.id, { vault });
    session.unlocked.key = key;
    useLocalKey(session.id, passphrase === null ? null : key);
  };
  draw();
  return section;
}

/** Ask for the passphrase of a locked notebook; `opened(session)` once it unlocks. */
export function unlockView({ record, opened }) {
  const pass = field("unlock-passphrase", t("devices.unlock_field"), "current-password");
  const error = errorLine();
  const button = h("button", { type: "submit", class: "button button--primary", text: t("devices.unlock_button") });
  const onsubmit = async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const session = await working(button, t("devices.unlock_working"), () => Session.open(record, pass.input.value));
      pass.input.value = "";
      await opened(session);
    } catch (failure) {
      showError(error, failure);
    }
  };
  show(
    sheet(
      { label: t("devices.unlock_title") },
      h("h1", { text: t("devices.unlock_title") }),
      h("p", { class: "lede", text: t("devices.unlock_lede") }),
      h("form", { class: "form", onsubmit }, pass.element, error, h("div", { class: "actions" }, button)),
    ),
  );
  pass.input.focus();
}
