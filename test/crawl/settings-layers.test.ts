import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, tempTree } from '../helpers/project.js';
import { crawlDir } from '../helpers/crawl.js';

afterAll(cleanupTemp);

const KEY = 'SECRET_KEY = "kgq$h3@!!vbb6*nzfz(dbze=*)zsroqa8gvc0#1gx$3cd8z99^"\n';

describe('layered Python settings', () => {
  it('does not report the development secret of a base settings module that the production module replaces', async () => {
    const root = await tempTree('roach-settings-', {
      'app/settings/__init__.py': '',
      'app/settings/base.py': `import os\n\n${KEY}DEBUG = False\n`,
      'app/settings/dev.py': 'from .base import *\n\nDEBUG = True\n',
      'app/settings/prod.py': 'import os\nfrom .base import *\n\nif os.path.isfile("/data/key"):\n    with open("/data/key") as f:\n        SECRET_KEY = f.read().strip()\nelse:\n    SECRET_KEY = os.environ["SECRET_KEY"]\n',
      // a module that star-imports the settings but replaces another name: the key is still the one in use
      'other/settings/base.py': KEY,
      'other/settings/prod.py': 'from .base import *\n\nDEBUG = False\n',
      // the key replaced in a module that does not import this one
      'third/settings.py': KEY,
      'third/local.py': 'SECRET_KEY = "x"\n',
    });
    const report = await crawlDir(root, { fix: false });
    const secrets = report.findings.filter((f) => f.ruleId.startsWith('secrets/')).map((f) => f.file);
    expect(secrets.sort()).toEqual(['other/settings/base.py', 'third/settings.py']);
  });
});
