// The HTTP API of docs/protocol.md. A device authenticates with its bearer token; errors arrive
// as problem+json and are raised as ApiError so views can tell a 409 from a lost connection.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem ?? {};
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
  let payload = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = null;
  }
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

const nb = (id) => `/v1/notebooks/${encodeURIComponent(id)}`;

export function createNotebook(body) {
  return call("POST", "/v1/notebooks", { body });
}

export function claimInvite(inviteId, body) {
  return call("POST", `/v1/invites/${encodeURIComponent(inviteId)}/claim`, { body });
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
  };
}
