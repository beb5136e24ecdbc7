// Times as each partner reads them: in their own locale and time zone, never in UTC.

const TIME = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const WEEKDAY = new Intl.DateTimeFormat(undefined, { weekday: "long" });
const DATE = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "long", year: "numeric" });
const DAY_MS = 24 * 60 * 60 * 1000;

export function clock(iso) {
  return TIME.format(new Date(iso));
}

export function longDate(iso) {
  return DATE.format(new Date(iso));
}

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "21:30", "tomorrow at 09:00" or "Tuesday at 09:00", from now. */
export function moment(iso, now = new Date()) {
  const at = new Date(iso);
  const days = Math.round((startOfDay(at) - startOfDay(now)) / DAY_MS);
  if (days === 0) return TIME.format(at);
  if (days === 1) return `tomorrow at ${TIME.format(at)}`;
  return `${WEEKDAY.format(at)} at ${TIME.format(at)}`;
}

/** "5 minutes", "1 hour", "3 hours", "1 hour 30 minutes". */
export function duration(minutes) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const part = (n, unit) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (!hours) return part(rest, "minute");
  return rest ? `${part(hours, "hour")} ${part(rest, "minute")}` : part(hours, "hour");
}
