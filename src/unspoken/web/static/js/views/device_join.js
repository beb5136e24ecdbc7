// Opening a device link on a new device: the secret was read and wiped from the address bar
// before anything ran; this device makes its own keys, claims the link, and waits for the
// other device to check them and let it in.

import { addDevice } from "../devices.js";
import { h, show } from "../dom.js";
import { t } from "../i18n.js";
import { errorLine, sheet, showError, waitingLine, working } from "./frame.js";

export function deviceJoinView({ notebookId, linkId, secret, navigate }) {
  if (!secret) {
    show(
      sheet(
        { label: t("devices.join_title") },
        h("h1", { text: t("devices.join_missing") }),
        h("p", { class: "lede", text: t("devices.join_missing_lede") }),
      ),
    );
    return;
  }
  const error = errorLine();
  const status = h("div", { class: "devices__status" });
  const button = h("button", { type: "button", class: "button button--primary", text: t("devices.join_button") });
  button.addEventListener("click", async () => {
    error.hidden = true;
    try {
      const session = await working(button, t("devices.join_working"), () =>
        addDevice(notebookId, linkId, secret, {
          onWaiting: () => {
            button.hidden = true;
            status.replaceChildren(waitingLine(t("devices.join_waiting")));
          },
        }),
      );
      navigate(`/n/${session.id}`);
    } catch (failure) {
      status.replaceChildren();
      showError(error, failure);
    }
  });
  show(
    sheet(
      { label: t("devices.join_title") },
      h("h1", { text: t("devices.join_title") }),
      h("p", { class: "lede", text: t("devices.join_lede") }),
      h("div", { class: "actions" }, button),
      status,
      error,
    ),
  );
}
