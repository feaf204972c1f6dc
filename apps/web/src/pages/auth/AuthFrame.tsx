import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';
import { PLATFORM_NAME } from '../../layout/platform';

/** The centred card the login and password pages share, outside the console's menu. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
        boxSizing: 'border-box',
        background: 'linear-gradient(160deg, #e8f1ff 0%, #f5f7fa 60%)',
      }}
    >
      <main style={{ width: '100%', maxWidth: 420 }}>
        <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 10, marginBottom: 20 }}>
          <img src="/favicon.svg" alt="" width={36} height={36} />
          <Typography.Title level={3} style={{ margin: 0, textAlign: 'center' }}>
            {PLATFORM_NAME}
          </Typography.Title>
        </div>
        <Card title={title}>{children}</Card>
      </main>
    </div>
  );
}
