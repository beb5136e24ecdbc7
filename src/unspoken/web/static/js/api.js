// The HTTP API of docs/protocol.md. A device authenticates with its bearer token; errors arrive
// as problem+json and are raised as ApiError so views can tell a 409 from a lost connection.

import { t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, problem, retryAfter = null) {
    super(problem?.detail || problem?.title || t("common.server_answered", { status }));
    this.name = "ApiError";
    this.status = status;
    this.problem = problem ?? {};
    // Seconds until asking again will work (a 429's Retry-After), or null.
    this.retryAfter = retryAfter ?? problem?.retry_after ?? null;
  }
}

async function call(method, path, { token, body } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  const text = await response.text();
  let payload;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const retryAfter = Number(response.headers.get("Retry-After")) || null;
    throw new ApiError(response.status, payload, retryAfter);
  }
  return payload;
}

const nb = (id) => `/v1/notebooks/${encodeURIComponent(id)}`;

export function createNotebook(body) {
  return call("POST", "/v1/notebooks", { body });
}

/** The server's VAPID public key, for PushManager.subscribe (docs/protocol.md, Web Push). */
export function pushKey() {
  return call("GET", "/v1/push/key");
}

export function claimInvite(inviteId, body) {
  return call("POST", `/v1/invites/${encodeURIComponent(inviteId)}/claim`, { body });
}

export function claimLink(linkId, body) {
  return call("POST", `/v1/links/${encodeURIComponent(linkId)}/claim`, { body });
}

/** Calls made as one device of one notebook. */
export function notebookApi(notebookId, token) {
  const as = (method, path, body) => call(method, nb(notebookId) + path, { token, body });
  return {
    get: () => as("GET", ""),
    createInvite: (body) => as("POST", "/invites", body),
    putProfile: (body) => as("PUT", "/profile", body),
    approve: (memberId) => as("POST", `/members/${encodeURIComponent(memberId)}/approve`),
    decline: (memberId) => as("POST", `/members/${encodeURIComponent(memberId)}/decline`),
    append: (body) => as("POST", "/entries", body),
    passPen: () => as("POST", "/pen/pass"),
    records: (after, limit = 200) => as("GET", `/records?after=${after}&limit=${limit}`),
    // The notebook's rules (protocol.md, "Protocol v1 — the rules").
    askForPen: () => as("POST", "/pen/ask"),
    setMode: (mode) => as("POST", "/mode", { mode }),
    sendDraft: (body) => as("POST", "/drafts", body),
    pause: (body) => as("POST", "/pause", body),
    beHere: (body) => as("POST", "/pause/here", body),
    ready: () => as("POST", "/pause/ready"),
    promises: () => as("GET", "/promises"),
    promise: (item) => as("POST", "/promises", item),
    promiseAction: (id, action, body) => as("POST", `/promises/${encodeURIComponent(id)}/${action}`, body),
    agreements: () => as("GET", "/agreements"),
    propose: (item) => as("POST", "/agreements", item),
    sign: (id, sig) => as("POST", `/agreements/${encodeURIComponent(id)}/sign`, { sig }),
    closeChapter: (n) => as("POST", `/chapters/${n}/close`),
    newChapter: (body) => as("POST", "/chapters", body),
    answerMirror: (answer) => as("POST", "/mirror", { answer }),
    leave: () => as("POST", "/leave"),
    // Web Push: this device's subscription, the notices it wants and its quiet hours.
    push: () => as("GET", "/push"),
    subscribePush: (subscription) => as("PUT", "/push/subscription", subscription),
    unsubscribePush: () => as("DELETE", "/push/subscription"),
    pushPreferences: (body) => as("PUT", "/push/preferences", body),
    // A partner's devices and key epochs (protocol.md, "Devices").
    putExchangeKey: (body) => as("PUT", "/exchange-key", body),
    keys: () => as("GET", "/keys"),
    newEpoch: (body) => as("POST", "/epochs", body),
    revoke: (deviceId, body) => as("POST", `/devices/${encodeURIComponent(deviceId)}/revoke`, body),
    openLink: (body) => as("POST", "/links", body),
    link: (id) => as("GET", `/links/${encodeURIComponent(id)}`),
    withdrawLink: (id) => as("DELETE", `/links/${encodeURIComponent(id)}`),
    approveDevice: (id, body) => as("POST", `/links/${encodeURIComponent(id)}/approve`, body),
    declineDevice: (id) => as("POST", `/links/${encodeURIComponent(id)}/decline`),
  };
}
