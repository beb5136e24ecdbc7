// The one-page app: routes by path (/, /join/{invite}, /n/{notebook}) to a view. Each view may
// hold a live stream; leaving a route closes it.

import { h, show } from "./dom.js";
import { onLanguageChange, startLanguage, t } from "./i18n.js";
import { install } from "./install.js";
import { Session } from "./session.js";
import { latestNotebook } from "./store.js";
import { plainWords, sheet } from "./views/frame.js";
import { deviceJoinView } from "./views/device_join.js";
import { joinView, takeInviteSecret } from "./views/join.js";
import { unlockView } from "./views/lock.js";
import { notebookView } from "./views/notebook.js";
import { pairingView } from "./views/pairing.js";
import { turnedAway, waitingView } from "./views/waiting.js";
import { welcomeView } from "./views/welcome.js";

// The invite's (or a device link's) secret is read and wiped from the address bar before
// anything else runs.
const invite = takeInviteSecret();

let leaving = [];
// Each route gets a number; a view from an older route may neither navigate nor draw.
let routeNumber = 0;

function onLeave(cleanup) {
  leaving.push(cleanup);
}

function navigate(path) {
  if (path !== location.pathname) history.pushState(null, "", path);
  route();
}

function message(title, text) {
  show(
    sheet(
      { label: title },
      h("h1", { text: title }),
      h("p", { class: "lede", text }),
      h(
        "div",
        { class: "actions" },
        h("a", { href: "/", class: "button", text: t("common.back_to_start") }),
      ),
    ),
  );
}

async function openNotebook(notebookId) {
  const mine = routeNumber;
  const stale = () => mine !== routeNumber;
  const loaded = await Session.load(notebookId);
  if (!loaded) {
    return message(t("common.not_here_title"), t("common.not_here_text"));
  }
  if (Session.isLocked(loaded)) {
    return unlockView({ record: loaded.record, opened: (session) => stale() || enter(session, stale) });
  }
  return enter(loaded, stale);
}

async function enter(session, stale) {
  try {
    await session.refresh();
  } catch (error) {
    if (error.status === 404 || error.status === 401) {
      return message(t("common.closed_title"), t("common.closed_text"));
    }
    // Offline, or the server is down: open the notebook as this device last saw it.
    if (!(await session.openKeptCopy(error))) throw error;
  }
  if (stale()) return;
  // A device from before devices and epochs publishes its exchange key once.
  if (session.me()?.state === "active") await session.publishExchangeKey().catch(console.warn);
  const context = { session, onLeave, stale, navigate: (path) => stale() || navigate(path) };
  const pending = session.me()?.state === "pending";
  try {
    if (pending) return await waitingView(context);
    if (session.record.role === "creator" && !session.notebook.sealed) return await pairingView(context);
    return await notebookView(context);
  } catch (error) {
    // Turned away or revoked while the view was being drawn: say so, not "something went wrong".
    if (stale() || !(error.status === 404 || error.status === 401)) throw error;
    if (pending) return turnedAway(session, navigate);
    return message(t("common.closed_title"), t("common.closed_text"));
  }
}

async function route() {
  for (const cleanup of leaving) cleanup();
  leaving = [];
  routeNumber += 1;
  const [, section, id, more] = location.pathname.split("/");
  try {
    if (section === "join" && id) return joinView({ inviteId: id, ...invite, navigate });
    if (section === "device" && id && more) {
      return deviceJoinView({ notebookId: decodeURIComponent(id), linkId: more, secret: invite.secret, navigate });
    }
    if (section === "n" && id) return await openNotebook(decodeURIComponent(id));
    const latest = await latestNotebook();
    if (latest) return navigate(`/n/${latest.notebookId}`);
    return welcomeView({ navigate });
  } catch (error) {
    console.error(error);
    message(t("common.something_wrong"), plainWords(error));
  }
}

addEventListener("popstate", route);
// A link opened again in the same tab changes only the fragment, and the page does not reload:
// read its secret afresh, as a fresh page would.
addEventListener("hashchange", () => {
  if (location.hash.length > 1 && /^\/(join|device)\//.test(location.pathname)) location.reload();
});
// A language chosen in the app redraws the screen at once, in place: no reload.
onLanguageChange(() => route());
startLanguage().finally(() => {
  install();
  route();
});
