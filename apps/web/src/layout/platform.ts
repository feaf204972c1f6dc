export const PLATFORM_NAME = '工伤预防能力提升培训平台';
export const PLATFORM_SHORT_NAME = '工伤预防培训';
