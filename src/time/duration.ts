const SECOND = 1000;

/** 5400000 -> "1h30m", 90000 -> "1m30s", 500 -> "0s". */
export function formatDuration(ms: number): string {
  let s = Math.max(0, Math.round(ms / SECOND));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean);
  return parts.length ? parts.join('') : '0s';
}
