// Keeping a copy and opening it elsewhere: the export sheet (a passphrase, twice, then a file),
// and a reader for a keepsake file on any device — in memory only, nothing stored there.

import { h, show } from "../dom.js";
import { t } from "../i18n.js";
import { Journal } from "../journal.js";
import { keepsakeSession, makeKeepsake, openKeepsake } from "../keepsake_file.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, sheet, showError, working } from "./frame.js";
import { openKeepsake as openChapterKeepsake } from "./keepsake.js";
import { Pages } from "./pages.js";

const MIN_PASSPHRASE = 8;

function passphraseField(id, text) {
  const input = h("input", { id, type: "password", class: "field__input", autocomplete: "new-password" });
  const element = h("div", { class: "field" }, h("label", { for: id, class: "field__label", text }), input);
  return { input, element };
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** "Keep a copy": the whole notebook, sealed under a passphrase, saved as a file. */
export function openExportSheet({ session }) {
  const first = passphraseField("keepsake-passphrase", t("keepsake.passphrase"));
  const again = passphraseField("keepsake-passphrase-again", t("keepsake.passphrase_again"));
  const error = errorLine();
  const button = h("button", { type: "submit", class: "button button--primary", text: t("keepsake.save") });
  const done = h("p", { class: "quiet", role: "status" });
  const onsubmit = async (event) => {
    event.preventDefault();
    error.hidden = true;
    const passphrase = first.input.value;
    if (passphrase.length < MIN_PASSPHRASE) return showError(error, new Error(t("keepsake.too_short", { count: MIN_PASSPHRASE })));
    if (passphrase !== again.input.value) return showError(error, new Error(t("keepsake.differ")));
    try {
      const file = await working(button, t("keepsake.sealing"), () => makeKeepsake(session, passphrase));
      download(`unspoken-keepsake-${file.exported_at.slice(0, 10)}.json`, JSON.stringify(file, null, 2));
      done.textContent = t("keepsake.saved");
    } catch (failure) {
      showError(error, failure);
    }
  };
  const { close } = openDialog(
    { title: t("keepsake.keep_title") },
    h("p", { class: "quiet", text: t("keepsake.keep_intro") }),
    h("form", { class: "form", onsubmit }, first.element, again.element, error, done,
      h("div", { class: "actions" }, button, cancelButton(() => close(), t("keepsake.close")))),
  );
}

/** "Open a keepsake file", from the first screen of any device. */
export function openImportSheet() {
  const file = h("input", { id: "keepsake-file", type: "file", accept: "application/json,.json", class: "field__input" });
  const pass = passphraseField("keepsake-open-passphrase", t("keepsake.its_passphrase"));
  pass.input.autocomplete = "current-password";
  const error = errorLine();
  const button = h("button", { type: "submit", class: "button button--primary", text: t("keepsake.open") });
  const onsubmit = async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const chosen = file.files[0];
      if (!chosen) throw new Error(t("keepsake.choose_file"));
      const contents = await working(button, t("keepsake.opening"), async () => openKeepsake(await chosen.text(), pass.input.value));
      close();
      await keepsakeReader(await keepsakeSession(contents));
    } catch (failure) {
      showError(error, failure);
    }
  };
  const { close } = openDialog(
    { title: t("keepsake.open_title") },
    h("form", { class: "form", onsubmit },
      h("div", { class: "field" }, h("label", { for: "keepsake-file", class: "field__label", text: t("keepsake.the_file") }), file),
      pass.element, error,
      h("div", { class: "actions" }, button, cancelButton(() => close()))),
  );
}

/** The pages of a keepsake, verified here as on the devices that wrote them; read-only. */
async function keepsakeReader(session) {
  const people = new Map();
  for (const member of session.notebook.members) {
    const profile = await session.profileOf(member).catch(() => null);
    people.set(member.id, profile ?? { name: t("common.someone_unverified"), hand: null });
  }
  const journal = new Journal(session, () => {});
  await journal.catchUp();
  const container = h("div", { class: "pages" });
  new Pages({ session, people, container }).draw(journal.timeline, session.shown());
  const chapters = [...new Set(journal.timeline.map((item) => item.chapter ?? 1))];
  const names = session.notebook.members.map((m) => people.get(m.id)?.name ?? t("common.someone")).join(" & ");
  show(
    sheet(
      { className: "sheet--notebook", label: t("keepsake.reader_label") },
      h("h1", { class: "notebook-head__title", text: names }),
      h("p", { class: "quiet", text: t("keepsake.reader_note") }),
      container,
      h("div", { class: "actions" },
        chapters.length > 1 ? printButton({ session, journal, people, chapter: null }) : null,
        chapters.map((chapter) => printButton({ session, journal, people, chapter }))),
    ),
  );
}

/** "Print chapter n" (or, for `chapter` null, every chapter): from a notebook or a keepsake file. */
export function printButton({
  session,
  journal,
  people,
  chapter,
  text = chapter === null ? t("notebook.print_all") : t("keepsake.print_chapter", { n: chapter }),
}) {
  return h("button", {
    type: "button",
    class: "button button--quiet",
    text,
    onclick: () => openChapterKeepsake({ session, journal, people, chapter }),
  });
}
