import type { ThemeConfig } from 'antd';

/** Chinese faces first so Latin-first stacks do not pick a font without CJK glyphs. */
export const FONT_FAMILY = [
  '-apple-system',
  'BlinkMacSystemFont',
  "'PingFang SC'",
  "'Hiragino Sans GB'",
  "'Microsoft YaHei'",
  "'Noto Sans CJK SC'",
  "'WenQuanYi Micro Hei'",
  "'Segoe UI'",
  'Roboto',
  "'Helvetica Neue'",
  'Arial',
  'sans-serif',
].join(', ');

export const theme: ThemeConfig = {
  token: { colorPrimary: '#1668dc', borderRadius: 6, fontFamily: FONT_FAMILY },
  components: { Layout: { headerBg: '#ffffff', headerPadding: '0 16px', siderBg: '#ffffff' } },
};
