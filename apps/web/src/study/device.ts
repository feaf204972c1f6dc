const BROWSERS: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/MicroMessenger\/(\d+)/, '微信'],
  [/(?:OPR|Opera)\/(\d+)/, 'Opera'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/(?:Chrome|CriOS|Chromium)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+).*Safari/, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** A short description of the browser for auditors ("Chrome 156 / Windows"), ≤ 120 characters as the protocol asks. */
export function describeDevice(userAgent: string): string {
  const browser = BROWSERS.map(([re, name]) => {
    const m = re.exec(userAgent);
    return m ? `${name} ${m[1]}` : undefined;
  }).find(Boolean);
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  const text = [browser ?? '未知浏览器', system ?? '未知系统'].join(' / ');
  return (/Mobi|Android|iPhone/.test(userAgent) ? `${text}（移动端）` : text).slice(0, 120);
}

const FINGERPRINT_KEY = 'gsyf.browser-id';

/**
 * A random id this browser keeps for good (localStorage): sent when a study session opens, so
 * auditors see many trainees studying from one browser (a proxy-study room). It identifies the
 * browser, not the person, and carries nothing about either.
 */
export function browserFingerprint(): string | undefined {
  try {
    let id = localStorage.getItem(FINGERPRINT_KEY);
    if (!id) {
      id = crypto.randomUUID();
      localStorage.setItem(FINGERPRINT_KEY, id);
    }
    return id;
  } catch {
    return undefined;
  }
}
