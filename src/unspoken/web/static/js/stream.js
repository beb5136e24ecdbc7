// The notebook's live stream, read with fetch so the token travels in a header, never a URL.
// EventSource cannot send headers, so Server-Sent Events are parsed here by hand. After a drop
// it reconnects from the last sequence number it saw, with backoff; records arrive in order and
// at most once (deduplicated by seq).

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;
// The server sends a comment every 15 s; silence for much longer means a dead connection.
const SILENCE_MS = 45000;

/** Split a text stream into SSE events: {id, event, data}. */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = "";
    this.reset();
  }

  reset() {
    this.fields = { id: null, event: "message", data: [] };
  }

  async push(chunk) {
    this.buffer += chunk;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    // A chunk may end inside a line (or between \r and \n): keep the tail for later.
    this.buffer = lines.pop();
    for (const line of lines) await this.line(line);
  }

  async line(line) {
    if (line === "") {
      const { id, event, data } = this.fields;
      this.reset();
      if (data.length) await this.onEvent({ id, event, data: data.join("\n") });
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "data") this.fields.data.push(value);
    else if (name === "id" || name === "event") this.fields[name] = value;
  }
}

/**
 * Follow a notebook's records from `after`. onRecord(record) is awaited, so records are handled
 * strictly one after another; onState("live" | "reconnecting" | "refused", error?) reports health.
 * Draft frames (`event: draft`, no id: never stored, never replayed) go to onDraft(frame), a
 * partner's read position (`event: seen`, no id either) to onSeen(frame); both leave the
 * sequence alone. Returns {close()}.
 */
export function followNotebook({
  notebookId,
  token,
  after = 0,
  onRecord,
  onDraft = () => {},
  onSeen = () => {},
  onState = () => {},
}) {
  let lastSeq = after;
  let closed = false;
  let controller = null;
  let delay = FIRST_DELAY_MS;

  const deliver = async ({ id, event, data }) => {
    const record = JSON.parse(data);
    if (event === "draft" && id === null) {
      onDraft(record);
      return;
    }
    if (event === "seen" && id === null) {
      onSeen(record);
      return;
    }
    const seq = Number(id ?? record.seq);
    if (!Number.isSafeInteger(seq) || seq <= lastSeq) return;
    lastSeq = seq;
    delay = FIRST_DELAY_MS;
    await onRecord(record);
  };

  async function readOnce() {
    controller = new AbortController();
    let watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
    try {
      const response = await fetch(
        `/v1/notebooks/${encodeURIComponent(notebookId)}/events?after=${lastSeq}`,
        {
          headers: { Authorization: `Bearer ${token}`, Accept: "text/event-stream" },
          cache: "no-store",
          signal: controller.signal,
        },
      );
      if ([401, 403, 404].includes(response.status)) {
        closed = true;
        onState("refused", response.status);
        return;
      }
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      onState("live");
      const parser = new SseParser(deliver);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
        await parser.push(value);
      }
    } finally {
      clearTimeout(watchdog);
    }
  }

  (async () => {
    while (!closed) {
      try {
        await readOnce();
      } catch (error) {
        if (closed) break;
        onState("reconnecting", error);
      }
      if (closed) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  })();

  return {
    close() {
      closed = true;
      controller?.abort();
    },
  };
}
