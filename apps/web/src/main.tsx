import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { RouterProvider } from 'react-router-dom';
import { createRouter } from './routes';
import { SessionProvider } from './session/SessionProvider';
import { theme } from './theme';
import './global.css';

dayjs.locale('zh-cn');

const router = createRouter();

/** Chinese labels are short: on a phone a label column squeezed to one character per line is unreadable. */
const DESCRIPTIONS = { styles: { label: { whiteSpace: 'nowrap' as const } } };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={theme} descriptions={DESCRIPTIONS}>
      <App>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </App>
    </ConfigProvider>
  </StrictMode>,
);
