import 'reflect-metadata';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, printSchema, validate } from 'graphql';
import { manifestOf } from '../gateway/trusted-documents';
import { TRUSTED_OPERATIONS } from './trusted-operations';
import { SUBGRAPHS } from '../subgraphs';
import { SUBGRAPH_DEFAULT_PORTS, projectRoot } from '../subgraphs/platform';

export const SCHEMA_DIR = join(projectRoot(), 'schema');

/**
 * Builds every subgraph's SDL from its schema builder (no server runs),
 * composes them with @apollo/composition and returns the files of schema/:
 * <subgraph>.graphql, supergraph.graphql and api.graphql (the supergraph
 * without federation internals: what clients see).
 */
export async function composeAll(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const services = [];
  for (const subgraph of SUBGRAPHS) {
    const sdl = printSubgraphSchema(await subgraph.buildSchema());
    files[`${subgraph.name}.graphql`] = `${sdl.trim()}\n`;
    services.push({
      name: subgraph.name,
      typeDefs: parse(sdl),
      // Default local URLs; the gateway replaces them from <SUBGRAPH>_URL.
      url: `http://localhost:${SUBGRAPH_DEFAULT_PORTS[subgraph.name]}/graphql`,
    });
  }
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  files['supergraph.graphql'] = `${result.supergraphSdl.trim()}\n`;
  const api = result.schema.toAPISchema().toGraphQLJSSchema();
  files['api.graphql'] = `${printSchema(api).trim()}\n`;
  // The registered operations, each checked against the API schema: a manifest entry that no longer validates fails here.
  for (const operation of TRUSTED_OPERATIONS) {
    const errors = validate(api, parse(operation.body));
    if (errors.length > 0) throw new Error(`trusted operation ${operation.name} does not validate: ${errors[0]!.message}`);
  }
  files['trusted-documents.json'] = `${JSON.stringify(manifestOf(TRUSTED_OPERATIONS), null, 2)}\n`;
  return files;
}

/** Names of the committed files that differ from a fresh composition. */
export function driftedFiles(files: Record<string, string>, dir = SCHEMA_DIR): string[] {
  return Object.entries(files)
    .filter(([name, text]) => {
      try {
        return readFileSync(join(dir, name), 'utf8') !== text;
      } catch {
        return true;
      }
    })
    .map(([name]) => name);
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const files = await composeAll();
  if (check) {
    const drifted = driftedFiles(files);
    if (drifted.length > 0) {
      console.error(`schema/ is out of date (${drifted.join(', ')}); run npm run compose and commit the result`);
      process.exit(1);
    }
    console.log('schema/ matches a fresh composition');
    return;
  }
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(SCHEMA_DIR, name), text);
  console.log(
    `wrote ${Object.keys(files)
      .map((n) => `schema/${n}`)
      .join(', ')}`,
  );
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
