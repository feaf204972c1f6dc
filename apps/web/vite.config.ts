import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
// The API (apps/api) listens here in development and serves the built console in production.
const api = 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  resolve: {
    // Same aliases as tsconfig.json: files shared with the API that import nothing (types, constants, pure functions).
    alias: {
      '@app/study-protocol': fileURLToPath(new URL('../../libs/study/src/protocol/study-protocol.ts', import.meta.url)),
      '@app/oversight-signals': fileURLToPath(new URL('../../libs/oversight/src/signals/signal.ts', import.meta.url)),
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': api,
      '/health': api,
      '/socket.io': { target: api, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd is most of the bundle and changes far less often than the console's own code:
    // separate chunks keep browser caches warm across releases.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react)[\\/]/, priority: 30 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|@emotion)[\\/]/, priority: 20 },
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
