import { T } from './tokens.js';

/** One file to scan: its project path decides code (AST) or text (line scanner). */
export interface SecretCase {
  readonly file: string;
  readonly code: string;
  /** For invalid cases: how many findings of the rule (default 1). */
  readonly count?: number;
  /** For invalid cases: the raw secret that must be reported and never shown. */
  readonly secret?: string;
}

export interface RuleCases {
  readonly invalid: readonly SecretCase[];
  readonly valid: readonly SecretCase[];
}

/** Cases per secrets rule: each must report (invalid) or stay silent (valid), like the YAML rule tests. */
export const SECRET_CASES: Readonly<Record<string, RuleCases>> = {
  'secrets/aws': {
    invalid: [
      { file: '.env', code: `AWS_ACCESS_KEY_ID=${T.akia}\n`, secret: T.akia },
      { file: 'src/s3.js', code: `const s3 = new S3({ accessKeyId: "${T.akia}" });\n`, secret: T.akia },
      { file: 'deploy/credentials', code: `[default]\naws_access_key_id = ${T.akia}\naws_secret_access_key = ${T.awsSecret}\n`, count: 2, secret: T.awsSecret },
      { file: 'app/settings.py', code: `AWS_SECRET_ACCESS_KEY = "${T.awsSecret}"\n`, secret: T.awsSecret },
    ],
    valid: [
      { file: '.env', code: 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' },
      { file: 'src/s3.js', code: 'const s3 = new S3({ accessKeyId: process.env.AWS_ACCESS_KEY_ID });\n' },
      // Code outside string literals and comments is never matched: this is an identifier.
      { file: 'src/ids.js', code: `const ${T.akia} = 1;\n` },
    ],
  },
  'secrets/github': {
    invalid: [
      { file: '.github/workflows/ci.yml', code: `env:\n  GH_TOKEN: ${T.ghp}\n`, secret: T.ghp },
      { file: 'src/gh.ts', code: `// token ${T.ghp}\nexport const client = new Octokit({ auth: process.env.GH });\n`, secret: T.ghp },
      { file: 'tool/main.go', code: `package main\n\nvar token = "${T.githubPat}"\n`, secret: T.githubPat },
    ],
    valid: [
      { file: 'src/gh.ts', code: `export const t = "${T.ghpBadChecksum}";\n` },
      { file: '.github/workflows/ci.yml', code: 'env:\n  GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n' },
    ],
  },
  'secrets/gitlab': {
    invalid: [{ file: '.gitlab-ci.yml', code: `variables:\n  TOKEN: ${T.glpat}\n`, secret: T.glpat }],
    valid: [{ file: 'README.md', code: 'Set `GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx` in your shell.\n' }],
  },
  'secrets/slack': {
    invalid: [
      { file: 'bot/app.py', code: `client = WebClient(token="${T.slackBot}")\n`, secret: T.slackBot },
      { file: 'config/alerts.yaml', code: `webhook: ${T.slackWebhook}\n` },
    ],
    valid: [{ file: 'config/alerts.yaml', code: 'webhook: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n' }],
  },
  'secrets/stripe': {
    invalid: [{ file: 'billing/Pay.java', code: `class Pay { String key = "${T.stripe}"; }\n`, secret: T.stripe }],
    valid: [{ file: 'billing/Pay.java', code: `class Pay { String key = "${T.stripeTest}"; }\n` }],
  },
  'secrets/google-api-key': {
    invalid: [{ file: 'web/maps.ts', code: `export const maps = load({ key: '${T.google}' });\n`, secret: T.google }],
    valid: [{ file: 'web/maps.ts', code: "export const maps = load({ key: 'AIzaShort' });\n" }],
  },
  'secrets/gcp': {
    invalid: [{ file: 'deploy/sa.json', code: `{\n  "type": "service_account",\n  "private_key_id": "abc",\n  "private_key": "${T.pemJson}",\n  "client_email": "ci@proj.iam.gserviceaccount.com"\n}\n`, secret: T.pemJson }],
    valid: [{ file: 'deploy/sa.json', code: '{\n  "type": "service_account",\n  "private_key": ""\n}\n' }],
  },
  'secrets/private-key': {
    invalid: [
      { file: 'certs/server.key', code: `${T.pem}\n`, secret: T.pem },
      { file: 'src/sign.js', code: `const key = \`${T.pem}\`;\n`, secret: T.pem },
    ],
    valid: [
      { file: 'docs/tls.md', code: 'Paste the key:\n\n    -----BEGIN RSA PRIVATE KEY-----\n    ...\n    -----END RSA PRIVATE KEY-----\n' },
      // the development server's self-signed key, named for the host it serves
      { file: 'apps/client/localhost.pem', code: `${T.pem}\n` },
      { file: 'certs/localhost+2-key.pem', code: `${T.pem}\n` },
      // passphrase-protected keys: the passphrase is the secret, kept elsewhere (cosign writes cosign.key to be committed)
      { file: 'certs/server.key', code: `${T.pemEncrypted}\n` },
      { file: 'certs/legacy.key', code: `${T.pemLegacyEncrypted}\n` },
      { file: 'backend/cosign.key', code: `${T.cosignKey}\n` },
    ],
  },
  'secrets/npm': {
    invalid: [{ file: '.npmrc', code: `//registry.npmjs.org/:_authToken=${T.npm}\n`, secret: T.npm }],
    valid: [
      { file: '.npmrc', code: '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n' },
      { file: '.npmrc', code: `# build ${T.npmBadChecksum}\n` },
    ],
  },
  'secrets/pypi': {
    invalid: [{ file: '.pypirc', code: `[pypi]\nusername = __token__\npassword = ${T.pypi}\n`, secret: T.pypi }],
    valid: [{ file: '.pypirc', code: '[pypi]\nusername = __token__\npassword = ${PYPI_TOKEN}\n' }],
  },
  'secrets/openai': {
    invalid: [
      { file: 'ml/client.py', code: `openai.api_key = "${T.openaiProject}"\n`, secret: T.openaiProject },
      { file: '.env.local', code: `OPENAI_API_KEY=${T.openaiLegacy}\n`, secret: T.openaiLegacy },
    ],
    valid: [{ file: 'ml/client.py', code: 'openai.api_key = os.environ["OPENAI_API_KEY"]\n' }],
  },
  'secrets/anthropic': {
    invalid: [{ file: 'ml/claude.ts', code: `const anthropic = new Anthropic({ apiKey: "${T.anthropic}" });\n`, secret: T.anthropic }],
    valid: [{ file: 'ml/claude.ts', code: 'const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });\n' }],
  },
  'secrets/twilio': {
    invalid: [{ file: 'sms/send.go', code: `package sms\n\nconst apiKey = "${T.twilio}"\n`, secret: T.twilio }],
    valid: [{ file: 'sms/send.go', code: 'package sms\n\nconst accountSid = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"\n' }],
  },
  'secrets/sendgrid': {
    invalid: [{ file: 'mail/send.js', code: `sgMail.setApiKey("${T.sendgrid}");\n`, secret: T.sendgrid }],
    valid: [{ file: 'mail/send.js', code: 'sgMail.setApiKey(process.env.SENDGRID_API_KEY);\n' }],
  },
  'secrets/mailgun': {
    invalid: [{ file: 'config/mail.ini', code: `[mailgun]\napi_key = ${T.mailgun}\n`, secret: T.mailgun }],
    valid: [{ file: 'config/mail.ini', code: '[mailgun]\napi_key = key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n' }],
  },
  'secrets/azure-storage': {
    invalid: [{ file: 'appsettings.json', code: `{ "Storage": "DefaultEndpointsProtocol=https;AccountName=app;AccountKey=${T.azureKey};EndpointSuffix=core.windows.net" }\n`, secret: T.azureKey }],
    valid: [{ file: 'appsettings.json', code: '{ "Storage": "UseDevelopmentStorage=true" }\n' }],
  },
  'secrets/database-url': {
    invalid: [
      { file: 'docker-compose.yml', code: `services:\n  app:\n    environment:\n      DATABASE_URL: postgres://app:${T.dbPassword}@db.internal:5432/app\n`, secret: T.dbPassword },
      { file: 'src/db.ts', code: `export const url = 'mongodb+srv://svc:${T.dbPassword}@cluster0.mongodb.net/prod';\n`, secret: T.dbPassword },
    ],
    valid: [
      { file: 'docker-compose.yml', code: 'DATABASE_URL: postgres://postgres:postgres@localhost:5432/test\n' },
      { file: 'src/db.ts', code: 'export const url = `postgres://app:${process.env.PGPASSWORD}@db/app`;\n' },
      // Spelled-out documentation passwords (seen in node_modules READMEs).
      { file: 'README.md', code: "const config = parse('postgres://someuser:somepassword@somehost:381/somedatabase')\n" },
      // One lower-case word, as a sample compose file sets it for the service beside it.
      { file: 'compose.yaml', code: '      - FB_REDIS_CACHE_URL=redis://default:filebrowser@redis:6379\n' },
      { file: 'docker-compose.yml', code: '      ME_CONFIG_MONGODB_URL: mongodb://off:off-wger@mongodb:27017/\n' },
    ],
  },
  'secrets/url-credentials': {
    invalid: [{ file: 'scripts/publish.sh', code: `curl -T build.zip https://deploy:${T.urlPassword}@artifacts.internal/upload\n`, secret: T.urlPassword }],
    valid: [
      { file: 'scripts/publish.sh', code: 'curl -T build.zip https://user:password@artifacts.internal/upload\n' },
      // a placeholder word, and hosts reserved for documentation (RFC 2606 / 6761)
      { file: 'config.env', code: '#WEBDAV_CONNECTION_STRING=https://user:token@example.com/dav/uploads/\n' },
      { file: 'docs/setup.sh', code: `curl https://deploy:${'Xq7' + 'vP2mLk9Rt4Wz'}@registry.example.org/v2/ https://ci:${'Hj8' + 'sN3bQw5Ty1'}@ci.test/\n` },
      // a port before the @: the userinfo trick of SSRF write-ups, no password
      { file: 'app/validate_url.py', code: '    """Reject http://INTERNAL:8888\\@PUBLIC/ and http://internal:80@evil.io/"""\n' },
      { file: 'app/validate_url.py', code: '    a backslash (e.g. http://INTERNAL:8888\\\\@PUBLIC/ parses two ways)\n' },
      // a URL parser's test vector: a user name of punctuation only
      { file: 'app/util.py', code: `    "http://-.~_!$&()*+,;=:%40:80%2f::::::@${'exam' + 'ple.c'}'om",\n` },
    ],
  },
  'secrets/jwt': {
    invalid: [{ file: 'test-data.txt', code: `Authorization: Bearer ${T.jwt}\n`, secret: T.jwt }],
    valid: [
      { file: 'notes.txt', code: `Decoded: ${T.jwtNone}\n` },
      // expired in 2018: a sample captured from a dev server, no credential
      { file: 'docs/api.postman_collection.json', code: `{ "key": "Authorization", "value": "Bearer ${T.jwtExpired}" }\n` },
    ],
  },
  'secrets/generic': {
    invalid: [
      { file: '.env', code: `API_SECRET=${T.generic}\n`, secret: T.generic },
      { file: 'app/config.py', code: `client_secret = "${T.generic}"\n`, secret: T.generic },
      { file: 'app/Config.java', code: `class Config { static final String SIGNING_KEY = "${T.genericHex}"; }\n`, secret: T.genericHex },
      { file: 'src/api.js', code: `module.exports = { authToken: '${T.generic}' };\n`, secret: T.generic },
      // An Algolia admin key travels without an index name: still a secret.
      { file: 'src/search.ts', code: `export const admin = { appId: 'BTGPSR4MOE', apiKey: '${T.genericHex}' };\n`, secret: T.genericHex },
      { file: 'config/app.yml', code: `db:\n  password: ${T.generic}\n`, secret: T.generic },
      { file: 'conf/app.xml', code: `<config><password>${T.generic}</password></config>\n`, secret: T.generic },
      { file: 'cmd/db.go', code: `package main\n\nvar cfg = Config{Host: "db", Password: "${T.generic}"}\n`, secret: T.generic },
      { file: 'app/client.py', code: `client = Client(host="db", api_secret="${T.generic}")\n`, secret: T.generic },
      { file: 'app/Db.java', code: `class Db { void init() { this.dbPassword = "${T.generic}"; } }\n`, secret: T.generic },
      { file: 'src/conf.ts', code: `export class Conf { private readonly clientSecret = "${T.generic}"; }\n`, secret: T.generic },
      // Commented out, but no example: a real value someone disabled.
      { file: 'charts/app/values.yaml', code: `## OpenID configuration\n## oidc:\n##   clientSecret: ${T.generic}\nreplicas: 1\n`, secret: T.generic },
    ],
    valid: [
      // A commented configuration under an "Example:" heading (a Helm chart's values.yaml) documents the keys.
      { file: 'charts/app/values.yaml', code: `## OpenID configuration\n##\n## Example:\n## ---\n## oidc:\n##   clientSecret: ${T.generic}\n##   issuerUrl: https://auth.local/\nreplicas: 1\n` },
      { file: 'src/api.js', code: `module.exports = { tokenType: '${T.generic}' };\n` },
      { file: 'config/app.yml', code: 'db:\n  password: hunter2hunter2hunter2\n' },
      { file: 'app/config.py', code: 'api_key = "123e4567-e89b-12d3-a456-426614174000"\n' },
      { file: 'src/api.js', code: `const label = '${T.generic}';\n` },
      // Algolia's search-only key beside its index name (a docs site's DocSearch config) is public by design.
      { file: 'www/docusaurus.config.ts', code: `export default { algolia: { appId: 'BTGPSR4MOE', apiKey: '${T.genericHex}', indexName: 'docs' } };\n` },
      { file: '.env', code: 'API_SECRET=${VAULT_API_SECRET}\n' },
      // A hand-typed documentation token (pino's docs): sequences such as 12345 or abcde mark an example.
      { file: 'docs/transports.md', code: 'botToken: "123456789:ABCdefGhIJKlmNoPQRsTUVwxyZ7"\n' },
      // The name is a dict key, not a value: the key itself is never a secret.
      { file: 'app/config.py', code: `headers = {"${T.generic}": "x-api-key"}\n` },
    ],
  },
};
