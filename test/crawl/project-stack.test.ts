import { afterAll, describe, expect, it } from 'vitest';
import { projectStack } from '../../src/crawl/project-stack.js';
import { cleanupTemp, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

describe('projectStack', () => {
  it('reads the declared versions from the manifests, as data', async () => {
    const dir = await tempTree('roach-stack-', {
      'package.json': JSON.stringify({ type: 'module', engines: { node: '>=20' }, dependencies: { fastify: '^5.2.0', pg: '8.13.1' }, devDependencies: { typescript: '5.7.2' } }),
      'pyproject.toml': '[project]\nname = "app"\nrequires-python = ">=3.11"\ndependencies = [\n  "django>=5.1",\n  "psycopg[binary]==3.2.3",\n]\n',
      'requirements.txt': '# pinned\nflask==3.1.0\n-e git+https://example.com/x.git#egg=x\nrequests>=2.32 ; python_version >= "3.9"\n',
      'go.mod': 'module example.com/app\n\ngo 1.23\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.1.0\n)\n',
      'pom.xml': '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.1</version></parent><properties><java.version>21</java.version></properties></project>',
    });
    expect(await projectStack(dir)).toEqual([
      'Node.js >=20 (package.json engines)',
      'JavaScript modules: ES modules ("type": "module")',
      'npm dependencies: fastify@^5.2.0, pg@8.13.1',
      'TypeScript 5.7.2',
      'Python >=3.11 (pyproject.toml)',
      'Python dependencies: django>=5.1, psycopg[binary]==3.2.3',
      'Python requirements: flask==3.1.0, requests>=2.32',
      'Go 1.23 (go.mod)',
      'Go modules: github.com/go-chi/chi/v5@v5.1.0',
      'Java 21 (pom.xml)',
      'Maven parent: spring-boot-starter-parent 3.4.1',
    ]);
  });

  it('says nothing for a project without manifests, or with a malformed one', async () => {
    expect(await projectStack(await tempTree('roach-stack-', { 'package.json': '{ not json', 'main.py': 'print(1)\n' }))).toEqual([]);
  });
});
