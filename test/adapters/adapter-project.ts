import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AdapterFile, AdapterInput } from '../../src/adapters/ports.js';
import type { Language } from '../../src/domain/finding.js';
import { tempDir } from '../helpers/project.js';

const LANGUAGE_OF: Readonly<Record<string, Language>> = { '.js': 'javascript', '.mjs': 'javascript', '.ts': 'typescript', '.tsx': 'tsx', '.py': 'python' };

/** Writes a small project into a temp folder (removed by cleanupTemp) and returns its root. */
export async function writeProject(files: Readonly<Record<string, string>>): Promise<string> {
  const root = await tempDir('roach-adapter-');
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

/** The adapter input for these files of the project, as the crawl would hand them over. */
export function adapterInput(root: string, files: readonly string[]): AdapterInput {
  const adapterFiles: AdapterFile[] = files.map((file) => {
    const language = LANGUAGE_OF[path.extname(file)];
    if (!language) throw new Error(`test: no language for ${file}`);
    return { path: file, absolutePath: path.join(root, file), language };
  });
  return { root, files: adapterFiles, textOf: (file) => readFile(path.join(root, file), 'utf8').catch(() => null) };
}
