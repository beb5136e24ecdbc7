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

async function call(method, path, { token, body, act, extra = {} } = {}) {
  const headers = { Accept: "application/json", ...extra };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (act) headers["Unspoken-Act"] = act;
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

/** May an invite still be used, and who sent it (sealed)? `claim` proves this is the link's holder. */
export function inviteLook(inviteId, claim) {
  return call("GET", `/v1/invites/${encodeURIComponent(inviteId)}`, { extra: { "Invite-Claim": claim } });
}

export function claimLink(linkId, body) {
  return call("POST", `/v1/links/${encodeURIComponent(linkId)}/claim`, { body });
}

const PROMISE_ACTS = { acknowledge: "promise.acknowledged", withdraw: "promise.withdrawn", mark: "promise.marked" };

/**
 * Calls made as one device of one notebook. A call that acts (protocol v2) carries this
 * device's signature over each act it makes, as the log will hold it: `acting.sign(acts)`
 * answers the Unspoken-Act header for a list of [kind, [subject, outcome, item]], and
 * `acting.now()` what this device believes of the notebook (its chapter, whether that is open,
 * the partner's member id, whether a pause of its own is running).
 */
export function notebookApi(notebookId, token, acting = null) {
  const as = (method, path, body) => call(method, nb(notebookId) + path, { token, body });
  const act = async (path, acts, body) => {
    if (!acting) throw new Error("these calls cannot sign acts");
    return call("POST", nb(notebookId) + path, { token, body, act: await acting.sign(acts) });
  };
  const now = () => acting?.now() ?? {};
  const chapter = () => String(now().chapter);
  return {
    get: () => as("GET", ""),
    createInvite: (body) => as("POST", "/invites", body),
    putProfile: (body) => as("PUT", "/profile", body),
    approve: (memberId) => as("POST", `/members/${encodeURIComponent(memberId)}/approve`),
    decline: (memberId) => as("POST", `/members/${encodeURIComponent(memberId)}/decline`),
    append: (body) => as("POST", "/entries", body),
    crossOut: (id) => act(`/entries/${encodeURIComponent(id)}/cross`, [["entry.crossed", [id, "", ""]]]),
    passPen: () => act("/pen/pass", [["pen.passed", [chapter(), now().partner, ""]]]),
    records: (after, limit = 200) => as("GET", `/records?after=${after}&limit=${limit}`),
    // The notebook's rules (protocol.md, "Protocol v1 — the rules").
    askForPen: () => act("/pen/ask", [["pen.asked", [chapter(), "", ""]]]),
    setMode: (mode) => act("/mode", [["mode.changed", [chapter(), mode, ""]]], { mode }),
    sendDraft: (body) => as("POST", "/drafts", body),
    sendSeen: (body) => as("POST", "/seen", body),
    pause: (body) => {
      const kind = now().pausing ? "pause.renewed" : "pause.started";
      const asked = Date.now(); // signed: when, on this device's clock
      return act("/pause", [[kind, ["", `${body.minutes}@${asked}`, body.note?.id ?? ""]]], { ...body, asked });
    },
    beHere: (body) => act("/pause/here", [["pause.here", ["", "", body?.note?.id ?? ""]]], body),
    ready: () => act("/pause/ready", [["pause.ended", ["", "ready", ""]]]),
    promises: () => as("GET", "/promises"),
    promise: (item) => act("/promises", [["promise.made", [item.id, now().partner, item.id]]], item),
    promiseAction: (id, action, body) => {
      const fields = action === "mark" ? [id, body.outcome, body.note?.id ?? ""] : [id, "", ""];
      return act(`/promises/${encodeURIComponent(id)}/${action}`, [[PROMISE_ACTS[action], fields]], body);
    },
    agreements: () => as("GET", "/agreements"),
    propose: (item) => act("/agreements", [["agreement.proposed", [item.id, "", item.id]]], item),
    sign: (id, sig) => act(`/agreements/${encodeURIComponent(id)}/sign`, [["agreement.signed", [id, "", ""]]], { sig }),
    notYet: (id, note) =>
      act(`/agreements/${encodeURIComponent(id)}/not-yet`, [["agreement.declined", [id, "", note?.id ?? ""]]], { note }),
    revise: (id, item) => act(`/agreements/${encodeURIComponent(id)}/revise`, [["agreement.revised", [id, "", item.id]]], item),
    closeChapter: (n) => act(`/chapters/${n}/close`, [["chapter.closed", [String(n), "", ""]]]),
    newChapter: (body) => {
      // Starting a chapter while one is open closes that one first: two acts, in log order.
      const closing = now().open ? [["chapter.closed", [String(body.n - 1), "", ""]]] : [];
      return act("/chapters", [...closing, ["chapter.opened", [String(body.n), body.mode, body.meta.id]]], body);
    },
    answerMirror: (answer) => act("/mirror", [["mirror.answered", [chapter(), answer, ""]]], { answer }),
    leave: () => act("/leave", [["member.left", ["", "", ""]]]),
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
