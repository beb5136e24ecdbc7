// The service worker. It keeps the app shell — the page, every module, style, font, catalogue
// and the gentle rules — in a cache named by a hash of their contents, so the notebook opens
// with no network and an upgrade replaces the whole shell at once. The API and the live stream
// (/v1/…) are never answered here: those requests go to the network untouched.
//
// It also words the Web Push notices. A notice names only its kind and the notebook; the
// words shown come from this device's catalogue and the partner's name kept on this device.

const SHELL = /*SHELL*/null;
const PREFIX = "unspoken-shell-";
const CACHE = PREFIX + SHELL.version;
const PAGES = /^\/(?:|join\/[^/]+|n\/[^/]+)$/;
const LOCAL_DB = "unspoken-local";
const KINDS = ["new", "pen", "ready", "pause-ended"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // cache: "reload" skips the HTTP cache, so the shell is what the server has now.
      await cache.addAll(SHELL.files.map((url) => new Request(url, { cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && PAGES.test(url.pathname)) {
    event.respondWith(fromShell("/", request));
  } else if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(fromShell(url.pathname, request));
  }
  // Anything else (the API, the live stream, /healthz) is not ours to answer.
});

async function fromShell(key, request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(key)) ?? fetch(request);
}

// --- notices -----------------------------------------------------------------------------

self.addEventListener("push", (event) => {
  const notice = readNotice(event.data);
  if (notice) event.waitUntil(showNotice(notice));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const notebook = event.notification.data?.notebook;
  event.waitUntil(openNotebook(notebook ? `/n/${encodeURIComponent(notebook)}` : "/"));
});

function readNotice(data) {
  try {
    const notice = data?.json();
    if (KINDS.includes(notice?.kind) && typeof notice.notebook === "string") return notice;
  } catch {
    // not one of ours
  }
  return null;
}

async function showNotice({ kind, notebook }) {
  const path = `/n/${encodeURIComponent(notebook)}`;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  // The partner's words are already in front of them: nothing to announce.
  if (windows.some((w) => w.visibilityState === "visible" && new URL(w.url).pathname === path)) {
    return;
  }
  const { language, name } = await keptOnDevice(notebook);
  const words = await catalogue(language);
  const say = (key, vars = {}) =>
    (words[key] ?? key).replace(/\{(\w+)\}/g, (whole, n) => (n in vars ? vars[n] : whole));
  const [plain, named] = NOTICE_WORDS[kind] ?? NOTICE_WORDS.new;
  await self.registration.showNotification(say("push.notice_title"), {
    body: say(name && words[named] ? named : plain, { name }),
    tag: `unspoken-${notebook}`,
    renotify: true,
    lang: language,
    icon: "/static/icons/icon-192.png",
    data: { notebook },
  });
}

// Each notice's words: [without the partner's name, with it].
const NOTICE_WORDS = {
  new: ["push.notice_new", "push.notice_new_named"],
  pen: ["push.notice_pen", "push.notice_pen_named"],
  ready: ["push.notice_ready", "push.notice_ready_named"],
  "pause-ended": ["push.notice_pause_ended", "push.notice_pause_ended_named"],
};

async function openNotebook(path) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const same = windows.find((w) => new URL(w.url).pathname === path);
  const any = same ?? windows[0];
  if (!any) return self.clients.openWindow(path);
  const focused = await any.focus();
  if (!same) await focused.navigate(path);
  return focused;
}

/** The words of the device's language (the page's choice, kept by js/local_copy.js). */
async function catalogue(language) {
  const words = {};
  for (const lang of language === "en" ? ["en"] : ["en", language]) {
    const url = `/static/i18n/${lang}/push.json`;
    try {
      const response = (await caches.match(url)) ?? (await fetch(url));
      if (response.ok) Object.assign(words, await response.json());
    } catch {
      // offline and not cached: the English keys below still read
    }
  }
  return { "push.notice_title": "Unspoken", ...words };
}

/** {language, name}: what the page kept on this device for wording notices (js/local_copy.js). */
async function keptOnDevice(notebook) {
  const fallback = { language: "en", name: null };
  const db = await new Promise((resolve) => {
    const req = indexedDB.open(LOCAL_DB);
    // No database yet: do not create one here (the page creates it with its stores).
    req.onupgradeneeded = () => req.transaction.abort();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
  });
  if (!db) return fallback;
  try {
    const get = (key) =>
      new Promise((resolve) => {
        const req = db.transaction("device").objectStore("device").get(key);
        req.onsuccess = () => resolve(req.result ?? null);
        req.onerror = () => resolve(null);
      });
    return {
      language: (await get("language")) ?? fallback.language,
      name: await get(`partner/${notebook}`),
    };
  } catch {
    return fallback;
  } finally {
    db.close();
  }
}
