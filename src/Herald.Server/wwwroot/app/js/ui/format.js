// Times as people read them, in the browser's language and time zone.

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const longDay = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const longDayWithYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

const DAY = 24 * 60 * 60 * 1000;

function startOfDay(time) {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** Days between the calendar days of two times (0: same day, 1: `time` was yesterday). */
function daysAgo(time, now) {
  return Math.round((startOfDay(now) - startOfDay(time)) / DAY);
}

export const clockTime = (time) => clock.format(time);
export const fullTime = (time) => full.format(time);

/** For the chat list: the time today, "Yesterday", the weekday within a week, else the date. */
export function listTime(time, now = Date.now()) {
  const days = daysAgo(time, now);
  if (days <= 0)
    return clock.format(time);
  if (days === 1)
    return 'Yesterday';
  return days < 7 ? weekday.format(time) : shortDate.format(time);
}

/** For the separators between days in a chat. */
export function dayLabel(time, now = Date.now()) {
  const days = daysAgo(time, now);
  if (days <= 0)
    return 'Today';
  if (days === 1)
    return 'Yesterday';
  return new Date(time).getFullYear() === new Date(now).getFullYear() ? longDay.format(time) : longDayWithYear.format(time);
}

export const sameDay = (a, b) => startOfDay(a) === startOfDay(b);
