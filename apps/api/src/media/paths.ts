/** Full request paths (global prefix included): signatures cover exactly what the client requests. */
export const HLS_BASE = '/api/v1/media/hls';
export const UPLOADS_PATH = '/api/v1/uploads';
