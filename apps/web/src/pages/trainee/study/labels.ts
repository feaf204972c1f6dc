import type { CaptureOutcomeCode, CheckRecordView, CheckStatusCode, SessionStatusCode } from '@app/study-protocol';

export const SESSION_STATUS: Record<SessionStatusCode, { color: string; text: string }> = {
  active: { color: 'processing', text: '学习中' },
  completed: { color: 'success', text: '已完成' },
  closed: { color: 'default', text: '已结束' },
  superseded: { color: 'warning', text: '已在其他设备继续' },
  abandoned: { color: 'error', text: '中断未结束' },
  terminated: { color: 'error', text: '核验未通过已终止' },
};

export const CHECK_STATUS: Record<CheckStatusCode, { color: string; text: string }> = {
  outstanding: { color: 'processing', text: '待完成' },
  passed: { color: 'success', text: '通过' },
  failed: { color: 'error', text: '未通过' },
  'timed-out': { color: 'warning', text: '超时' },
};

export const OUTCOMES: Record<CaptureOutcomeCode | 'answered', string> = {
  match: '本人',
  mismatch: '非本人',
  'no-face': '未检测到人脸',
  'several-faces': '画面中有多人',
  replayed: '疑似重放画面',
  'bad-frame': '画面无法识别',
  answered: '已作答',
};

export function checkLabel(check: Pick<CheckRecordView, 'kind' | 'reason'>): string {
  if (check.kind === 'prompt') return '防挂机确认';
  switch (check.reason) {
    case 'session-start':
      return '人脸核验（开始学习）';
    case 'lesson-end':
      return '人脸核验（课时结束）';
    default:
      return '人脸核验（随机）';
  }
}
