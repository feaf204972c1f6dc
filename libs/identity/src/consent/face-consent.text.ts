/**
 * The text a trainee agrees to before any face data is collected. Face images are sensitive
 * personal information (PIPL art. 28–29): separate consent, stating purpose, scope, retention
 * and the right to withdraw. A new wording gets a new version; consents name the version agreed.
 */
export interface ConsentText {
  version: string;
  title: string;
  text: string;
}

export const FACE_CONSENT_TEXT: ConsentText = {
  version: 'face-2025-01',
  title: '人脸信息处理单独同意书',
  text: [
    '为落实工伤预防能力提升培训的实名制管理，防止代学、挂课，本平台需要处理您的人脸信息（敏感个人信息）：',
    '一、目的：仅用于核验参训人员本人身份，包括登记参考照片、学习过程中的随机人脸核验与学习图像抓拍。',
    '二、范围：参考照片及由其计算的人脸特征值、核验时拍摄的图像及比对结果。',
    '三、查看者：您所在的培训机构、负责监管的人社等部门及平台管理员，仅在履行培训管理与监督职责所必需的范围内。',
    '四、保存期限：按培训档案管理要求保存，期满后删除或匿名化。',
    '五、您的权利：您可以随时在“我的资料”中撤回本同意；撤回后平台将停止对您进行人脸核验，此前基于同意已进行的处理不受影响，',
    '但需要人脸核验的线上学习学时可能无法认定，培训机构将与您另行确认替代核验方式。',
  ].join('\n'),
};
