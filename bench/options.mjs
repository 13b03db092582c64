// The options of the benches that crawl a pinned corpus (fix-landing, security): `--only a,b`,
// `--no-build`, `--no-write`. `script` names the file whose header documents them, for the error.
export function parseCorpusOptions(argv, script) {
  const options = { only: null, build: true, write: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only') options.only = new Set(argv[++i].split(','));
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--no-write') options.write = false;
    else throw new Error(`unknown option ${arg}; see the header of ${script}`);
  }
  return options;
}
