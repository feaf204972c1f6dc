import type { LoggerService } from '@nestjs/common';

/** Start-up notices that must stand out in a stream of JSON log lines (embedded database, demo logins). */
export function banner(lines: string[]): string {
  const width = Math.max(...lines.map((l) => displayWidth(l))) + 4;
  const bar = '='.repeat(width);
  return ['', bar, ...lines.map((l) => `  ${l}`), bar, ''].join('\n');
}

/** CJK characters take two columns in a terminal. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/**
 * Logs the lines as one structured entry and, on a terminal, also prints them boxed so a person
 * starting the platform by hand sees them among the JSON log lines.
 */
export function announce(logger: Pick<LoggerService, 'warn'>, lines: string[]): void {
  logger.warn(lines.join(' | '));
  if (process.stdout.isTTY) process.stdout.write(banner(lines) + '\n');
}
