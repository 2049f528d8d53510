// Language as a primary tag ("de", "en"), from the tracker's navigator.language when sent,
// else from the first entry of Accept-Language.
const TAG = /^[a-z]{2,3}$/;

export function primaryLanguage(fromPayload: string, acceptLanguage: string): string {
  const source = fromPayload || acceptLanguage.split(',')[0] || '';
  const primary = source.trim().split(/[-_;]/)[0]?.toLowerCase() ?? '';
  return TAG.test(primary) ? primary : '';
}
