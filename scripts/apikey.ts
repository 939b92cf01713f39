import { parseArgs } from 'node:util';
import { ApiKeyStore, apiKeysFile } from '../gateway/api-keys';
import { ROLES } from '../subgraphs/platform/auth';

const USAGE = `usage: npm run apikey -- create --name <name> --roles <role,role> [--trusted-only]
       npm run apikey -- list
       npm run apikey -- revoke --name <name or id>
roles: ${ROLES.join(', ')}; --trusted-only: the key may run only registered operations (trusted documents);
keys are kept hashed in AUTH_API_KEYS_FILE (default .data/api-keys.json)`;

/**
 * `npm run apikey`: API keys for service accounts and BI tools. `create`
 * prints the key once (only its hash is stored); the gateway rereads the
 * file when it changes, so `revoke` takes effect without a restart.
 */
function main(): void {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, roles: { type: 'string' }, 'trusted-only': { type: 'boolean' } },
  });
  const store = new ApiKeyStore(apiKeysFile());
  switch (positionals[0]) {
    case 'create': {
      if (!values.name || !values.roles) throw new Error(USAGE);
      const { key, record } = store.create(
        values.name,
        values.roles.split(',').map((r) => r.trim()),
        new Date(),
        { trustedDocumentsOnly: values['trusted-only'] === true },
      );
      console.log(
        `created ${record.name} (${record.id}) with roles ${record.roles.join(', ')}${record.trustedDocumentsOnly ? ', trusted documents only' : ''}`,
      );
      console.log(`key (shown once; send it as x-api-key): ${key}`);
      return;
    }
    case 'list':
      for (const r of store.list())
        console.log(
          `${r.id}  ${r.name.padEnd(20)} ${r.roles.join(',').padEnd(30)} created ${r.createdAt}${r.trustedDocumentsOnly ? '  trusted-only' : ''}${r.revokedAt ? `  revoked ${r.revokedAt}` : ''}`,
        );
      return;
    case 'revoke':
      if (!values.name) throw new Error(USAGE);
      if (!store.revoke(values.name)) throw new Error(`no active key named or with id ${values.name}`);
      console.log(`revoked ${values.name}`);
      return;
    default:
      throw new Error(USAGE);
  }
}

try {
  main();
} catch (error) {
  console.error(`[apikey] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
