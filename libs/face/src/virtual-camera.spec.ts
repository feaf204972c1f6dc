import { DEFAULT_VIRTUAL_CAMERAS, parseVirtualCameraList, VIRTUAL_CAMERA_REFUSAL, virtualCameraOf } from './virtual-camera';

describe('virtualCameraOf', () => {
  it.each([
    ['OBS Virtual Camera', 'OBS Virtual Camera'],
    ['obs virtual camera (Windows)', 'OBS Virtual Camera'],
    ['ManyCam Virtual Webcam', 'ManyCam'],
    ['e2eSoft VCam', 'e2eSoft VCam'],
    ['XSplit VCam', 'XSplit VCam'],
    ['Snap Camera', 'Snap Camera'],
    ['SNAP_CAMERA', 'Snap Camera'],
  ])('refuses %s', (label, hit) => expect(virtualCameraOf(label)).toBe(hit));

  it.each(['Integrated Camera (04f2:b6dd)', 'HD Pro Webcam C920 (046d:082d)', 'FaceTime HD Camera', '', undefined])('accepts a real camera label %p', (label) => {
    expect(virtualCameraOf(label)).toBeUndefined();
  });

  it('uses the list from settings, defaults when empty', () => {
    expect(parseVirtualCameraList('')).toBe(DEFAULT_VIRTUAL_CAMERAS);
    const list = parseVirtualCameraList(' MyVirtualCam , Foo ');
    expect(list).toEqual(['MyVirtualCam', 'Foo']);
    expect(virtualCameraOf('myvirtualcam 2', list)).toBe('MyVirtualCam');
    expect(virtualCameraOf('OBS Virtual Camera', list)).toBeUndefined();
  });

  it('has a stable code and a zh-CN message', () => {
    expect(VIRTUAL_CAMERA_REFUSAL.code).toBe('FACE_VIRTUAL_CAMERA');
    expect(VIRTUAL_CAMERA_REFUSAL.message).toMatch(/虚拟摄像头/);
  });
});
