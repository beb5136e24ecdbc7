// The one-page app: routes by path (/, /join/{invite}, /n/{notebook}) to a view. Each view may
// hold a live stream; leaving a route closes it.

import { h, show } from "./dom.js";
import { onLanguageChange, startLanguage, t } from "./i18n.js";
import { install } from "./install.js";
import { Session } from "./session.js";
import { latestNotebook } from "./store.js";
import { plainWords, sheet } from "./views/frame.js";
import { joinView, takeInviteSecret } from "./views/join.js";
import { notebookView } from "./views/notebook.js";
import { pairingView } from "./views/pairing.js";
import { waitingView } from "./views/waiting.js";
import { welcomeView } from "./views/welcome.js";

// The invite secret is read and wiped from the address bar before anything else runs.
const inviteSecret = takeInviteSecret();

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
  const session = await Session.load(notebookId);
  if (!session) {
    return message(t("common.not_here_title"), t("common.not_here_text"));
  }
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
  const context = { session, onLeave, stale, navigate: (path) => stale() || navigate(path) };
  if (session.me()?.state === "pending") return waitingView(context);
  if (session.record.role === "creator" && !session.notebook.sealed) return pairingView(context);
  return notebookView(context);
}

async function route() {
  for (const cleanup of leaving) cleanup();
  leaving = [];
  routeNumber += 1;
  const [, section, id] = location.pathname.split("/");
  try {
    if (section === "join" && id) return joinView({ inviteId: id, secret: inviteSecret, navigate });
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
// A language chosen in the app redraws the screen at once, in place: no reload.
onLanguageChange(() => route());
startLanguage().finally(() => {
  install();
  route();
});
