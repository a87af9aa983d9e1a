/**
 * The one door from outside text to the job log. The runner reads every stdout line as a possible workflow command
 * (a line that starts with "::" after leading blanks, or the legacy "##["), and a CR or LF inside a message starts a new
 * line. Text from the network (API bodies, error messages, GitHub answers) is therefore made into one harmless line
 * before it is printed: see "What reaches the log" in the README.
 */

/** A log line holds at most this many characters (the runner keeps lines of any length; nobody reads 8 KiB). */
export const LINE_MAX = 8192;

/** ANSI escape sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), and two-character escapes. */
const ANSI =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u001b[@-_]?/g;
/** Line breaks of every kind: CR, LF, NEL, LS, PS, VT, FF. */
// eslint-disable-next-line no-control-regex
const BREAKS = /\r\n|[\r\n\u000b\u000c\u0085\u2028\u2029]/g;
/** The remaining C0 and C1 controls and DEL (tab included: it becomes a space). */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Characters that reorder or hide text: bidi embeddings, overrides and isolates, zero-width characters, the BOM. */
export const INVISIBLE = /[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** What the runner would take for a command, after the leading blanks it ignores. */
const COMMAND_START = /^(\s*)(::|##\[)/;

/** Cuts `text` to `max` characters, saying where and how long it was; never splits a surrogate pair. */
export function bound(text: string, max: number, total = text.length): string {
  if (text.length <= max && total === text.length) return text;
  const note = `… [cut at ${max} of ${total} characters]`;
  let end = Math.max(0, max - note.length);
  if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1] ?? '')) end -= 1;
  return text.slice(0, end) + note;
}

/**
 * Outside text as one log-safe line: line breaks shown as "⏎", ANSI escapes dropped, other control, bidi and
 * zero-width characters shown as "\u{…}" codes or dropped, bounded to `max` characters, and never starting like a
 * workflow command (such a line is prefixed with "› ").
 */
export function sanitizeLine(text: string, max = LINE_MAX): string {
  // Bound first, roughly, so a 50 MB string is not scanned by every pattern; then exactly, after expansion.
  const long = text.length > max * 2;
  const head = long ? text.slice(0, max * 2) : text;
  const flat = head
    .replace(ANSI, '')
    .replace(BREAKS, ' ⏎ ')
    .replace(/\t/g, ' ')
    .replace(CONTROLS, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)
    .replace(INVISIBLE, '');
  const safe = COMMAND_START.test(flat) ? `› ${flat}` : flat;
  return long ? bound(safe, max, text.length) : bound(safe, max);
}
