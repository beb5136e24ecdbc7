// Times as each partner reads them: in their own language, locale and time zone, never in UTC.
// Formatters are made on first use for the current locale (the language may change while the
// app runs) and kept per locale; no time zone is ever passed, so each reader's own applies.

import { locale, t } from "../i18n.js";

const FORMATS = {
  time: { hour: "numeric", minute: "2-digit" },
  weekday: { weekday: "long" },
  date: { day: "numeric", month: "long", year: "numeric" },
  day: { weekday: "long", day: "numeric", month: "long" },
  dayOfMonth: { day: "numeric", month: "long" },
  dateTime: { dateStyle: "long", timeStyle: "short" },
};
const DAY_MS = 24 * 60 * 60 * 1000;
const made = new Map();

function cached(key, make) {
  const full = `${key}|${locale()}`;
  if (!made.has(full)) made.set(full, make(locale()));
  return made.get(full);
}

function format(name, iso) {
  return cached(name, (tag) => new Intl.DateTimeFormat(tag, FORMATS[name])).format(new Date(iso));
}

/** "21:30" (or "9:30 PM", as this reader's locale writes it). */
export function clock(iso) {
  return format("time", iso);
}

/** "22 November 2026", "22 novembre 2026". */
export function longDate(iso) {
  return format("date", iso);
}

/** "22 November 2026 at 21:30", "22 novembre 2026 à 21:30". */
export function dateTime(iso) {
  return format("dateTime", iso);
}

/** "Sunday 22 November", "dimanche 22 novembre": the heading of a day's pages. */
export function dayHeading(iso) {
  return format("day", iso);
}

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

function relativeDay(days) {
  const words = cached("relative", (tag) => new Intl.RelativeTimeFormat(tag, { numeric: "auto" }));
  return words.format(days, "day");
}

/** "21:30", "tomorrow at 09:00", "Tuesday at 09:00" or "3 March at 09:00", from now. */
export function moment(iso, now = new Date()) {
  const at = new Date(iso);
  const days = Math.round((startOfDay(at) - startOfDay(now)) / DAY_MS);
  const time = clock(iso);
  if (days === 0) return time;
  let day;
  if (Math.abs(days) === 1) day = relativeDay(days);
  else if (Math.abs(days) < 7) day = format("weekday", iso);
  else day = format("dayOfMonth", iso);
  return t("when.day_at", { day, time });
}

/** "5 minutes", "1 hour", "3 hours", "1 hour 30 minutes" — in the reader's language. */
export function duration(minutes) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (typeof Intl.DurationFormat === "function") {
    const words = cached("duration", (tag) => new Intl.DurationFormat(tag, { style: "long" }));
    return words.format(hours ? { hours, minutes: rest } : { minutes: rest });
  }
  const hourWords = t("when.hours", { count: hours });
  const minuteWords = t("when.minutes", { count: rest });
  if (!hours) return minuteWords;
  return rest ? t("when.hours_minutes", { hours: hourWords, minutes: minuteWords }) : hourWords;
}
