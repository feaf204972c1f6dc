import { useState } from 'react';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import type { PromptAck, PromptView } from '@app/study-protocol';
import { useCountdown } from './use-countdown';

/** 防挂机: the question and its choices as buttons, with the time left; the answer goes to the server. */
export function PromptModal({
  prompt,
  localDeadline,
  onAnswer,
}: {
  prompt: PromptView | undefined;
  localDeadline: number | undefined;
  onAnswer: (promptId: string, answer: string) => Promise<PromptAck>;
}) {
  const outstanding = prompt?.status === 'outstanding';
  const [result, setResult] = useState<{ promptId: string; passed: boolean; message: string }>();
  const [dismissed, setDismissed] = useState<string>();
  const [sending, setSending] = useState<string>();
  const showingResult = !!result && result.promptId === prompt?.id && dismissed !== prompt?.id;
  const left = useCountdown(outstanding ? localDeadline : undefined);

  async function answer(choice: string) {
    if (!prompt) return;
    setSending(choice);
    try {
      const ack = await onAnswer(prompt.id, choice);
      setResult({ promptId: prompt.id, passed: ack.passed, message: ack.message });
    } catch (e) {
      setResult({ promptId: prompt.id, passed: false, message: (e as Error).message });
    } finally {
      setSending(undefined);
    }
  }

  return (
    <Modal
      open={!!prompt && (outstanding || showingResult)}
      title="防挂机确认"
      closable={!outstanding}
      mask={{ closable: false }}
      keyboard={!outstanding}
      onCancel={() => prompt && setDismissed(prompt.id)}
      footer={outstanding ? null : <Button type="primary" onClick={() => prompt && setDismissed(prompt.id)}>继续学习</Button>}
      data-testid="prompt-modal"
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="prompt-question">
          {prompt?.question}
        </Typography.Title>
        {outstanding && left !== undefined && (
          <Typography.Text type={left <= 10 ? 'danger' : 'secondary'}>请在 {left} 秒内作答，超时将暂停计时</Typography.Text>
        )}
        {outstanding && (
          <Space wrap size="middle">
            {prompt.choices.map((c) => (
              <Button key={c} size="large" style={{ minWidth: 72 }} loading={sending === c} disabled={!!sending} onClick={() => void answer(c)} data-testid="prompt-choice">
                {c}
              </Button>
            ))}
          </Space>
        )}
        {result && result.promptId === prompt?.id && <Alert type={result.passed ? 'success' : 'error'} showIcon title={result.message} />}
      </Space>
    </Modal>
  );
}
