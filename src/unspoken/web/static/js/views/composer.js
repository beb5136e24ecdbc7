// The foot of the page: the pen holder's composer (write, then pass the notebook), or for the
// other partner a calm line saying who has the pen.

import { h } from "../dom.js";
import { attachGentleCheck } from "../gentle/hints.js";
import { applyHand } from "../hands.js";
import { errorLine, showError, working } from "./frame.js";

export function penLine(holder) {
  return h(
    "div",
    { class: "pen-line", role: "status" },
    h("p", { class: "pen-line__who", text: `${holder} has the pen` }),
    h("p", { class: "quiet", text: "Their words will appear here as soon as they’re written." }),
  );
}

export function composer({ session, journal, people, partnerName }) {
  const error = errorLine();
  const draft = h("textarea", {
    id: "draft",
    class: "composer__draft",
    rows: "3",
    maxlength: "20000",
    placeholder: "Write on the page…",
    spellcheck: "true",
  });
  applyHand(draft, people.get(session.record.memberId)?.hand);
  const write = h("button", {
    type: "submit",
    class: "button button--primary",
    text: "Write it down",
    disabled: true,
  });
  const pass = h("button", {
    type: "button",
    class: "button",
    text: `Pass the notebook to ${partnerName}`,
    hidden: session.notebook.mode === "open" || !session.partner(),
    onclick: async () => {
      try {
        await working(pass, "Passing the notebook…", () => session.api.passPen());
        await journal.catchUp();
      } catch (failure) {
        showError(error, failure);
      }
    },
  });
  const update = () => {
    write.disabled = draft.value.trim() === "";
  };

  const submit = async (event) => {
    event.preventDefault();
    const sent = draft.value;
    const text = sent.trim();
    if (!text) return;
    error.hidden = true;
    try {
      await working(write, "Sealing…", () => journal.write(text));
      // Words typed while this one was being sealed stay where they are.
      if (draft.value === sent) draft.value = "";
      gentle.refresh();
      pass.classList.add("button--primary");
      write.classList.remove("button--primary");
    } catch (failure) {
      showError(error, failure);
      await journal.catchUp().catch(() => {});
    }
    update();
  };

  const onkeydown = (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) submit(event);
  };

  const form = h(
    "form",
    { class: "composer", onsubmit: submit, oninput: update, onkeydown },
    h("label", { for: draft.id, class: "composer__label", text: "Your turn — you have the pen" }),
    draft,
    error,
    h("div", { class: "actions composer__actions" }, write, pass),
  );
  // A friend's hand on the shoulder while writing: it reads the draft here, never blocks.
  const gentle = attachGentleCheck(draft);
  return form;
}
