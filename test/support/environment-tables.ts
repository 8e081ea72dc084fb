/**
 * The profiles of fn/config/environments.ts as the rows docs/environments.md writes them: what each sets and
 * what its platform refuses, each with why and the source. test/unit/environments.test.ts holds the page to them.
 */
import { ENVIRONMENTS, type Environment } from '../../fn/config/environments';
import { kebab } from '../../fn/config/schema';

export const settingRows = (environment: Environment): string[] => {
  const profile = ENVIRONMENTS[environment];
  const rows = Object.entries(profile.settings).map(
    ([key, v]) =>
      `| \`${kebab(key)}\` | \`${JSON.stringify(v.value).replace(/^"|"$/g, '')}\` | ${v.why} | <${v.source}> |`,
  );
  if (profile.appPort)
    rows.push(`| \`proxy-port\` | the app's only TCP port | ${profile.appPort.why} | <${profile.appPort.source}> |`);
  return rows;
};

export const refusalRows = (environment: Environment): string[] =>
  Object.entries(ENVIRONMENTS[environment].refuses).map(
    ([refusal, r]) => `| \`${refusal}\` | ${r.why} | <${r.source}> |`,
  );
