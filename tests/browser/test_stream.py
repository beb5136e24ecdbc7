"""The browser's live stream reader (static/js/stream.js) against a scripted event stream."""

import json

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def _event(seq: int, kind: str = "entry", newline: str = "\n") -> str:
    data = json.dumps({"seq": seq, "kind": kind})
    return newline.join([f"id: {seq}", f"event: {kind}", f"data: {data}", "", ""])


FOLLOW_UNTIL = """async (last) => {
  const { followNotebook } = await import("/static/js/stream.js");
  const seen = [];
  await new Promise((resolve) => {
    const stream = followNotebook({
      notebookId: "nb", token: "tok", after: 0,
      onRecord: (record) => {
        seen.push(record.seq);
        if (record.seq === last) { stream.close(); resolve(); }
      },
    });
  });
  return seen;
}"""


def test_records_arrive_once_in_order_across_a_drop(blank_page: Page, scripted_events) -> None:
    scripts, requests = scripted_events
    first = _event(1)
    scripts.append(
        [
            ": a comment the reader ignores\r\n\r\n",
            first[:20],
            first[20:],  # an event split across chunks
            _event(2, "pen.passed", newline="\r\n"),  # CRLF line endings
            'id: 3\nevent: entry\ndata: {"seq": 3',  # the connection drops mid-event
        ]
    )
    multi_line = 'id: 4\nevent: entry\ndata: {"seq": 4,\ndata:  "kind": "entry"}\n\n'
    scripts.append([_event(2), _event(3), multi_line])  # the server repeats 2: deduplicated

    assert blank_page.evaluate(FOLLOW_UNTIL, 4) == [1, 2, 3, 4]
    assert [r["path"] for r in requests] == [
        "/v1/notebooks/nb/events?after=0",
        "/v1/notebooks/nb/events?after=2",  # resumes from the last complete event
    ]
    assert {r["authorization"] for r in requests} == {"Bearer tok"}


def test_reconnects_after_the_server_refuses_for_a_while(
    blank_page: Page,
    scripted_events,
) -> None:
    scripts, requests = scripted_events
    blank_page.evaluate("""() => import("/static/js/stream.js").then(({ followNotebook }) => {
      window.seen = [];
      followNotebook({ notebookId: "nb", token: "tok", onRecord: (r) => window.seen.push(r.seq) });
    })""")
    blank_page.wait_for_timeout(800)  # at least one refused attempt (503) has happened
    scripts.append([_event(1)])
    blank_page.wait_for_function("() => window.seen.length === 1", timeout=10_000)
    assert len(requests) >= 2
