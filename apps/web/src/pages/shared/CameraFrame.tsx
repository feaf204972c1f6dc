import type { ReactNode, RefObject } from 'react';

/** Mirrored like a mirror, which is how people expect to see themselves. */
const VIDEO_STYLE = { width: '100%', height: '100%', objectFit: 'contain', transform: 'scaleX(-1)' } as const;

/**
 * The live camera picture in a 4:3 frame with the shutter countdown over it. `still` replaces the
 * live picture (a taken photo); `testId` names the parts for browser tests (`-video`, `-countdown`).
 */
export function CameraFrame({ video, countdown, still, testId }: { video: RefObject<HTMLVideoElement | null>; countdown?: number; still?: ReactNode; testId: string }) {
  return (
    <div style={{ position: 'relative', background: '#000', borderRadius: 8, overflow: 'hidden', aspectRatio: '4 / 3' }}>
      {still ?? <video ref={video} autoPlay muted playsInline data-testid={`${testId}-video`} style={VIDEO_STYLE} />}
      {countdown !== undefined && (
        <div
          data-testid={`${testId}-countdown`}
          style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', fontSize: 96, color: '#fff', textShadow: '0 0 12px rgba(0,0,0,.6)' }}
        >
          {countdown}
        </div>
      )}
    </div>
  );
}
