/** Whether a variable holds a secret, by its name or by its value (the audit's rules, so both tools agree). */
import { CREDENTIAL_VALUE, isPlaceholder, isReference, isSecretName, isSwitch } from '@promtior/audit';

/** A long random-looking token: 32+ hex digits, or 24+ characters mixing letters, digits and symbols. */
function looksRandom(value: string): boolean {
  if (/\s/.test(value)) return false;
  if (/^[a-f0-9]{32,}$/i.test(value)) return true;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[_\-+/=.]/].filter((re) => re.test(value)).length;
  return value.length >= 24 && classes >= 3 && !/^[a-z][\w+.-]*:\/\//i.test(value);
}

export function isSecret(key: string, value: string | undefined): boolean {
  const v = value?.trim() ?? '';
  if (v && (isSwitch(v) || isReference(v))) return false;
  if (isSecretName(key)) return true;
  return v !== '' && !isPlaceholder(v) && (CREDENTIAL_VALUE.some((re) => re.test(v)) || looksRandom(v));
}
