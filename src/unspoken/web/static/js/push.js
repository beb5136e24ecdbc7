// Web Push on this device: ask permission, subscribe with the server's VAPID key, and tell the
// server where to send. What arrives names only a kind of notice; sw.js words it.

import { pushKey } from "./api.js";
import { keepForNotices } from "./local_copy.js";
import { b64decode } from "./protocol/encoding.js";

/** null when notifications can work here; otherwise why not ("unsupported" | "ios-browser"). */
export function pushBlocker() {
  const ios = /iPhone|iPad|iPod/.test(navigator.userAgent);
  const installed = matchMedia("(display-mode: standalone)").matches || navigator.standalone;
  if (!("serviceWorker" in navigator) || !("PushManager" in self) || !("Notification" in self)) {
    return ios && !installed ? "ios-browser" : "unsupported";
  }
  return null;
}

async function currentSubscription() {
  const registration = await navigator.serviceWorker.ready;
  return { registration, subscription: await registration.pushManager.getSubscription() };
}

/** Ask permission and subscribe; the server then sends to this device. Throws with a reason. */
export async function subscribeDevice(session) {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw Object.assign(new Error(`permission ${permission}`), { reason: "denied" });
  const { registration, subscription } = await currentSubscription();
  const { key } = await pushKey();
  const made =
    subscription ??
    (await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: b64decode(key),
    }));
  return session.api.subscribePush(made.toJSON());
}

export async function unsubscribeDevice(session) {
  const { subscription } = await currentSubscription().catch(() => ({ subscription: null }));
  await subscription?.unsubscribe().catch(() => {});
  await session.api.unsubscribePush();
}

/** What the worker needs to word a notice for this notebook: the partner's name. */
export function keepPartnerName(session, name) {
  return keepForNotices(`partner/${session.id}`, name);
}

/**
 * On opening a notebook: a browser may replace its subscription, and a push service may drop
 * one (the server then forgets it). If this device still has one, make sure the server knows it.
 */
export async function resyncPush(session) {
  if (pushBlocker() || Notification.permission !== "granted") return;
  const { subscription } = await currentSubscription();
  const known = await session.api.push();
  if (subscription && !known.subscribed) await session.api.subscribePush(subscription.toJSON());
}
