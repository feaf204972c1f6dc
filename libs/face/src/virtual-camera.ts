/**
 * Injected feeds: the console reports the camera's device label (MediaStreamTrack.label) with each
 * capture, and a label naming a known virtual camera is refused. A pure rule: the list comes from settings.
 * A label is what the browser says, so a renamed driver passes — this stops the off-the-shelf tools
 * that provinces ban for online classes, not a determined attacker.
 */
export const DEFAULT_VIRTUAL_CAMERAS: readonly string[] = [
  'OBS Virtual Camera',
  'OBS-Camera',
  'ManyCam',
  'e2eSoft VCam',
  'VCam',
  'XSplit VCam',
  'XSplit',
  'Snap Camera',
  'SplitCam',
  'CyberLink YouCam',
  'Logi Capture',
  'NVIDIA Broadcast',
  'DroidCam',
  'Iriun',
  'EpocCam',
  'AlterCam',
  'Virtual Camera',
];

export const VIRTUAL_CAMERA_REFUSAL = {
  code: 'FACE_VIRTUAL_CAMERA',
  message: '检测到虚拟摄像头（如 OBS、ManyCam 等），按规定不得用于在线学习核验，请改用真实摄像头后重试。',
} as const;

const fold = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/[\s_\-()]+/g, ' ').trim();

/** The list entry the label contains (case- and spacing-insensitive), or undefined for a camera that is not on the list. */
export function virtualCameraOf(label: string | undefined | null, list: readonly string[] = DEFAULT_VIRTUAL_CAMERAS): string | undefined {
  if (!label) return undefined;
  const l = fold(label);
  // The longest entry that matches names it best ('XSplit VCam' rather than 'VCam').
  return [...list].sort((a, b) => b.length - a.length).find((name) => fold(name) !== '' && l.includes(fold(name)));
}

/** Parses the settings' comma-separated list (empty → the defaults). */
export function parseVirtualCameraList(raw: string | undefined): readonly string[] {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : DEFAULT_VIRTUAL_CAMERAS;
}
