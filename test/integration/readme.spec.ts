import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentedEnvVars, loadPlatformConfig } from '@app/platform';

describe('the README', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');

  it('documents every configuration variable the services read', () => {
    loadPlatformConfig({});
    const missing = documentedEnvVars()
      .map((v) => v.name)
      .filter((name) => !new RegExp(`\\|\\s*\`${name}\`\\s*\\|`).test(readme));
    expect(missing).toEqual([]);
  });

  it('shows the two commands of a fresh machine', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
