import { afterAll, describe, expect, it } from 'vitest';
import { loadPathAliases } from '../../src/crawl/path-aliases.js';
import { readConfigText } from '../../src/crawl/project-target.js';
import { cleanupTemp, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

describe("a project's path aliases, read from its tsconfig files", () => {
  it('follows extends, resolves folders against the config that declares them, and keeps each package its own config', async () => {
    const root = await tempTree('roach-aliases-', {
      // JSON with comments and trailing commas, as tsconfig files are written
      'tsconfig.base.json': '{\n  // shared\n  "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*",], "#lib": ["lib/index.ts"] }, },\n}\n',
      'tsconfig.json': '{ "extends": "./tsconfig.base.json", "compilerOptions": { "strict": true } }\n',
      'packages/web/tsconfig.json': '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "paths": { "~/*": ["./app/*"] } } }\n',
      'packages/cli/jsconfig.json': '{ "compilerOptions": { "paths": { "~/*": ["./src/*"] } } }\n',
      'packages/bare/index.ts': '',
    });
    const aliases = await loadPathAliases(root, ['src/routes/a.ts', 'packages/web/app/page.ts', 'packages/cli/src/x.js', 'packages/bare/index.ts'], readConfigText);
    expect(Object.isFrozen(aliases)).toBe(true);
    expect(aliases).toEqual({
      '': { baseUrl: '', paths: [{ pattern: '@/*', targets: ['src/*'] }, { pattern: '#lib', targets: ['lib/index.ts'] }] },
      // the base's baseUrl is the root: the package's own paths are relative to it
      'packages/web': { baseUrl: '', paths: [{ pattern: '~/*', targets: ['app/*'] }] },
      'packages/cli': { baseUrl: null, paths: [{ pattern: '~/*', targets: ['packages/cli/src/*'] }] },
    });
  });

  it('reads ${configDir} as the folder of the config in use, not of the base that declares it', async () => {
    const root = await tempTree('roach-aliases-', {
      'config/tsconfig.shared.json': '{ "compilerOptions": { "paths": { "@/*": ["${configDir}/src/*"] } } }\n',
      'apps/web/tsconfig.json': '{ "extends": "../../config/tsconfig.shared.json" }\n',
    });
    expect(await loadPathAliases(root, ['apps/web/src/page.ts'], readConfigText)).toEqual({
      'apps/web': { baseUrl: null, paths: [{ pattern: '@/*', targets: ['apps/web/src/*'] }] },
    });
  });

  it('is empty without a config', async () => {
    const root = await tempTree('roach-aliases-', { 'src/a.js': '' });
    expect(await loadPathAliases(root, ['src/a.js'], readConfigText)).toEqual({});
  });
});
