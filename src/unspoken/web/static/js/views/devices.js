// "Your devices": the devices that open this notebook as you, adding one with a one-time link
// (checked before it is let in), revoking one, and the passphrase lock of this device.

import { approveDevice, inspectClaim, makeLink, revokeDevice } from "../devices.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, waitingLine, working } from "./frame.js";
import { lockSection } from "./lock.js";
import { qrCode } from "./qr.js";

const POLL_MS = 1000;

export function openDevicesSheet({ session, partnerName, onChanged }) {
  const error = errorLine();
  const list = h("ul", { class: "devices" });
  const linking = h("div", { class: "devices__linking" });
  let polling = null;
  const stop = () => clearTimeout(polling);

  const drawList = () => {
    const mine = session.me()?.devices ?? [];
    list.replaceChildren(
      ...mine.map((device) => {
        const here = device.id === session.device.id;
        const label = h("span", { class: "devices__name", text: t(here ? "devices.this_device" : "devices.other_device") });
        const revoke = here
          ? null
          : h("button", { type: "button", class: "button button--quiet", text: t("devices.revoke"), onclick: () => confirmRevoke(device) });
        return h("li", { class: "devices__item", "data-device": device.id }, label, revoke);
      }),
    );
  };

  const confirmRevoke = (device) => {
    const yes = h("button", { type: "button", class: "button button--alarm", text: t("devices.revoke_confirm") });
    const box = h(
      "div",
      { class: "card", role: "group", "aria-label": t("devices.revoke_title") },
      h("p", { class: "card__title", text: t("devices.revoke_title") }),
      h("p", { class: "quiet", text: t("devices.revoke_lede") }),
      h("div", { class: "actions" }, yes, h("button", { type: "button", class: "button", text: t("devices.not_now"), onclick: () => box.remove() })),
    );
    yes.addEventListener("click", async () => {
      try {
        await working(yes, t("devices.revoking"), () => revokeDevice(session, device.id));
        box.replaceChildren(h("p", { class: "quiet", role: "status", text: t("devices.revoked") }));
        await onChanged();
        drawList();
      } catch (failure) {
        showError(error, failure);
      }
    });
    linking.replaceChildren(box);
  };

  const addButton = h("button", { type: "button", class: "button button--primary", text: t("devices.add") });
  addButton.addEventListener("click", async () => {
    error.hidden = true;
    try {
      const link = await working(addButton, t("devices.add"), () => makeLink(session));
      addButton.hidden = true;
      showLink(link);
    } catch (failure) {
      showError(error, failure);
    }
  });

  function showLink(link) {
    const field = h("input", {
      id: "device-link",
      class: "field__input link__input",
      type: "text",
      readonly: true,
      value: link.url,
      onfocus: (event) => event.target.select(),
    });
    const copied = h("p", { class: "quiet link__copied", role: "status" });
    const copy = h("button", {
      type: "button",
      class: "button",
      text: t("devices.copy"),
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(link.url);
          copied.textContent = t("devices.copied");
        } catch {
          field.focus();
          copied.textContent = t("devices.copy_failed");
        }
      },
    });
    const status = h("div", { class: "devices__status" }, waitingLine(t("devices.waiting")));
    linking.replaceChildren(
      h("div", { class: "field" }, h("label", { for: "device-link", class: "field__label", text: t("devices.link_label") }), field),
      h("p", { class: "quiet", text: t("devices.link_hint") }),
      qrCode(link.url, t("devices.qr_label")),
      h("div", { class: "actions" }, copy),
      copied,
      status,
    );
    poll(link, status);
  }

  function poll(link, status) {
    stop();
    polling = setTimeout(async () => {
      let seen;
      try {
        seen = await inspectClaim(session, link);
      } catch (failure) {
        showError(error, failure);
        return;
      }
      if (!seen) return poll(link, status);
      if (!seen.ok) {
        if (seen.device) await session.api.declineDevice(link.id).catch(() => {});
        status.replaceChildren(h("p", { class: "warning", role: "alert", text: t("devices.untrusted") }));
        return;
      }
      askToLetIn(link, seen.device, status);
    }, POLL_MS);
  }

  function askToLetIn(link, device, status) {
    const letIn = h("button", { type: "button", class: "button button--primary", text: t("devices.let_in") });
    const away = h("button", { type: "button", class: "button", text: t("devices.turn_away") });
    letIn.addEventListener("click", async () => {
      try {
        await working(letIn, t("devices.letting_in"), () => approveDevice(session, link, device));
        await session.refresh();
        await onChanged();
        status.replaceChildren(h("p", { class: "quiet", role: "status", text: t("devices.added") }));
        linking.replaceChildren(status);
        addButton.hidden = false;
        drawList();
      } catch (failure) {
        showError(error, failure);
      }
    });
    away.addEventListener("click", async () => {
      await session.api.declineDevice(link.id).catch((failure) => showError(error, failure));
      status.replaceChildren(h("p", { class: "quiet", role: "status", text: t("devices.turned_away") }));
    });
    status.replaceChildren(h("p", { class: "lede", role: "status", text: t("devices.claimed") }), h("div", { class: "actions" }, letIn, away));
    // The question comes below the link and its code: bring it into view on a phone.
    status.scrollIntoView({ block: "nearest" });
  }

  drawList();
  const partner = session.partner();
  const count = partner?.devices?.length ?? 0;
  const { close, dialog } = openDialog(
    { title: t("devices.title"), className: "dialog--devices" },
    h("p", { class: "quiet", text: t("devices.lede") }),
    list,
    partner ? h("p", { class: "quiet", text: t("devices.partner_count", { name: partnerName, count }) }) : null,
    h("div", { class: "actions" }, addButton),
    linking,
    error,
    lockSection({ session }),
    h("div", { class: "actions" }, cancelButton(() => close(), t("devices.close"))),
  );
  dialog.addEventListener("close", stop);
}
