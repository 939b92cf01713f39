import { composeAll, driftedFiles } from '../scripts/compose';
import { SUBGRAPHS } from '../subgraphs';

// Regenerates schema/ in memory: fails when composition reports errors or the
// committed files differ from a fresh composition (run `npm run compose`).
describe('schema/', () => {
  let files: Record<string, string>;

  beforeAll(async () => {
    files = await composeAll();
  });

  it('composes without errors into every expected file', () => {
    expect(Object.keys(files).sort()).toEqual(
      ['api.graphql', ...SUBGRAPHS.map((s) => `${s.name}.graphql`), 'supergraph.graphql', 'trusted-documents.json'].sort(),
    );
    expect(files['api.graphql']).not.toContain('join__');
    expect(files['supergraph.graphql']).toContain('join__Graph');
  });

  it('matches the committed files', () => {
    expect(driftedFiles(files)).toEqual([]);
  });
});
