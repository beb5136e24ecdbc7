// Goodbye: leaving is asked twice, then the server is told, this device forgets the notebook's
// keys, and a calm last screen says what happened. The one who stays is told, and can read on.

import { h, show } from "../dom.js";
import { forgetNotebook } from "../store.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, working } from "./frame.js";
import { sheet } from "./frame.js";
import { longDate } from "./when.js";

export function openLeaveSheet({ session, partnerName, beforeLeaving, afterFailing }) {
  const error = errorLine();
  const first = h("div", { class: "leave__step" },
    h("p", { class: "lede", text: `${partnerName} will be told that you have left.` }),
    h("p", {
      class: "quiet",
      text: `This device will forget the notebook and can never open it again. ${partnerName} can still read it for thirty days; then the server erases it — at once, if they leave too.`,
    }),
  );
  const dialog = openDialog({ title: "Leave this notebook?" }, first, error);
  const body = dialog.dialog.firstChild;
  const onward = h("button", { type: "button", class: "button button--alarm", text: "Yes, I want to leave" });
  const stay = cancelButton(dialog.close, "Stay");
  const actions = h("div", { class: "actions" }, onward, stay);
  body.append(actions);

  onward.addEventListener("click", () => {
    // The second asking: plain about what cannot be undone.
    body.querySelector(".dialog__title").textContent = "Leave for good?";
    first.replaceChildren(
      h("p", { class: "lede", text: "This cannot be undone." }),
      h("p", { class: "quiet", text: "Nothing you wrote is taken back; you simply won’t be able to open this notebook again." }),
    );
    const leave = h("button", { type: "button", class: "button button--alarm", text: "Leave for good" });
    actions.replaceChildren(leave, cancelButton(dialog.close, "Stay"));
    leave.focus();
    leave.addEventListener("click", async () => {
      beforeLeaving();
      try {
        await working(leave, "Leaving…", () => session.api.leave());
      } catch (failure) {
        showError(error, failure);
        afterFailing();
        return;
      }
      await forgetNotebook(session.id);
      dialog.close();
      goodbyeScreen(partnerName);
    });
  });
}

export function goodbyeScreen(partnerName) {
  show(
    sheet(
      { className: "sheet--goodbye", label: "Goodbye" },
      h("h1", { text: "Goodbye" }),
      h("p", { class: "lede", text: `You have left the notebook. ${partnerName} has been told.` }),
      h("p", {
        class: "quiet",
        text: "Its keys are gone from this device, and the server no longer lets it in. Whatever comes next, take care of yourself.",
      }),
      h("div", { class: "actions" }, h("a", { href: "/", class: "button", text: "Back to the beginning" })),
    ),
  );
}

/** For the one who stays: read-only from now on, and when the server will erase it. */
export function leftBanner({ name, eraseAt }) {
  return h(
    "section",
    { class: "card card--left", role: "status", "aria-label": "Goodbye" },
    h("p", { class: "card__title", text: `${name} has left the notebook` }),
    h("p", {
      class: "quiet",
      text:
        "You can still read every page, but nothing more can be added." +
        (eraseAt ? ` The server will erase it on ${longDate(eraseAt)}, unless you leave first.` : ""),
    }),
  );
}
