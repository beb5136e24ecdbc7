// The notifications sheet: whether this device is told when something happens, which of the
// four notices it wants, and quiet hours on its own clock. A notice never carries a word.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { keepPartnerName, pushBlocker, subscribeDevice, unsubscribeDevice } from "../push.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, working } from "./frame.js";

const KINDS = ["new", "pen", "ready", "pause-ended"];
const DEFAULT_QUIET = { start: "22:00", end: "07:00" };

function check(id, title, hint, checked) {
  const input = h("input", { type: "checkbox", id, class: "check__input", checked });
  const label = h(
    "label",
    { class: "check", for: id },
    input,
    h("span", {}, h("span", { class: "check__title", text: title }), hint ? h("span", { text: hint }) : null),
  );
  return { input, label };
}

function timeField(id, text, value) {
  const input = h("input", { type: "time", id, class: "field__input notify__time", value, required: true });
  return { input, field: h("div", { class: "field" }, h("label", { for: id, class: "field__label", text }), input) };
}

// Each notice and each reason the browser can't subscribe, by the key that words it.
const KIND_WORDS = {
  new: "push.kind_new",
  pen: "push.kind_pen",
  ready: "push.kind_ready",
  "pause-ended": "push.kind_pause_ended",
};
const BLOCKED_WORDS = {
  unsupported: "push.blocked_unsupported",
  "ios-browser": "push.blocked_ios_browser",
};

function blockedLine(blocker) {
  if (!blocker) return null;
  return h("p", { class: "notify__blocked", role: "note", text: t(BLOCKED_WORDS[blocker]) });
}

export async function openNotificationsSheet({ session, partnerName }) {
  const error = errorLine();
  const blocker = pushBlocker();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  let known = { subscribed: false, notices: KINDS, quiet: null };
  try {
    known = await session.api.push();
  } catch (failure) {
    showError(error, failure);
  }
  const granted = !blocker && Notification.permission === "granted";
  const on = check("notify-on", t("push.on"), t("push.on_hint"), known.subscribed && granted);
  on.input.disabled = Boolean(blocker);
  const kinds = KINDS.map((kind) =>
    check(`notify-${kind}`, t(KIND_WORDS[kind], { name: partnerName }), null, known.notices.includes(kind)),
  );
  const quiet = check("notify-quiet", t("push.quiet"), t("push.quiet_hint", { zone }), Boolean(known.quiet));
  const start = timeField("notify-start", t("push.quiet_from"), known.quiet?.start ?? DEFAULT_QUIET.start);
  const end = timeField("notify-end", t("push.quiet_until"), known.quiet?.end ?? DEFAULT_QUIET.end);
  const times = h("div", { class: "notify__times", hidden: !known.quiet }, start.field, end.field);
  quiet.input.addEventListener("change", () => {
    times.hidden = !quiet.input.checked;
  });
  const save = h("button", { type: "submit", class: "button button--primary", text: t("push.save") });
  const saved = h("p", { class: "quiet notify__saved", role: "status" });
  const form = h(
    "form",
    { class: "notify-sheet" },
    h("p", { class: "quiet", text: t("push.promise") }),
    blockedLine(blocker),
    on.label,
    h(
      "fieldset",
      { class: "fieldset" },
      h("legend", { class: "legend", text: t("push.which") }),
      kinds.map((kind) => kind.label),
    ),
    h("fieldset", { class: "fieldset" }, h("legend", { class: "legend", text: t("push.quiet_legend") }), quiet.label, times),
    error,
    saved,
  );
  const { close } = openDialog({ title: t("push.title") }, form);
  form.append(h("div", { class: "actions" }, save, cancelButton(close, t("push.close"))));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    saved.textContent = "";
    const chosen = KINDS.filter((_, i) => kinds[i].input.checked);
    const span = quiet.input.checked ? { start: start.input.value, end: end.input.value, zone } : null;
    try {
      await working(save, t("push.saving"), async () => {
        await session.api.pushPreferences({ notices: chosen, quiet: span });
        await keepPartnerName(session, partnerName);
        if (on.input.checked && !known.subscribed) await subscribeDevice(session);
        if (!on.input.checked && known.subscribed) await unsubscribeDevice(session);
        known = await session.api.push();
      });
      saved.textContent = t("push.saved");
    } catch (failure) {
      // The choices are kept on the server even when this browser cannot subscribe.
      on.input.checked = known.subscribed;
      showError(error, failure);
      error.textContent = t(failure?.reason === "denied" ? "push.denied" : "push.cannot_subscribe");
    }
  });
}
