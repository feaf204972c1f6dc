import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import type { Section } from '../navigation/sections';

export function UnderConstruction({ section }: { section: Section }) {
  return (
    <Result
      status="info"
      title="该功能建设中"
      subTitle={`“${section.label}”（${section.summary}）将在后续版本中提供。`}
      extra={
        <Link to="/">
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  );
}
