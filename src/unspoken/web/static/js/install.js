// An installable app: the service worker (/sw.js) keeps the app shell so the notebook opens
// offline, and notices are worded in the language this device uses.

import { language } from "./i18n.js";
import { keepForNotices } from "./local_copy.js";

export function install() {
  keepForNotices("language", language()).catch(() => {});
  // Absent outside a secure context (https, or localhost) and in a few old browsers.
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .catch((error) => console.warn("the app will not open offline:", error));
}
