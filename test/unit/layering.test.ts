import { join } from 'node:path';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import layering from '../../.eslint/layering.js';
import { REPO_ROOT } from '../helpers/paths.js';

// The layering rule of main/ (.eslint/layering.js): rooms import only lower rooms, through their index.ts.
function lint(file: string, code: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], plugins: { layering }, rules: { 'layering/rooms': 'error' }, languageOptions: { ecmaVersion: 2023, sourceType: 'module' } }],
    join(REPO_ROOT, file),
  );
  return messages.map((m) => m.message);
}

describe('layering of main/', () => {
  it('lets a room import a lower room through its index, and itself freely', () => {
    expect(lint('main/backup/createBackup.ts', "import { EventStore } from '../store/index.js';\nimport { x } from './archiveName.js';")).toEqual([]);
    expect(lint('main/api/handlers/events.ts', "import { ConsoleError } from '../../../shared/errors.js';")).toEqual([]);
  });

  it('refuses an import past the index, in static, re-export and dynamic forms', () => {
    const deep = 'import main/store/ through its index.ts, not store/reader.js';
    expect(lint('main/backup/createBackup.ts', "import { EventReader } from '../store/reader.js';")).toEqual([deep]);
    expect(lint('main/backup/index.ts', "export { EventReader } from '../store/reader.js';")).toEqual([deep]);
    expect(lint('main/backup/createBackup.ts', "const m = await import('../store/reader.js');")).toEqual([deep]);
  });

  it('refuses an upward or sideways import between rooms', () => {
    expect(lint('main/store/eventStore.ts', "import { x } from '../recovery/index.js';")).toEqual([
      'main/store/ (rank 1) may not import main/recovery/ (rank 3): rooms import only lower rooms',
    ]);
    expect(lint('main/backup/catalog.ts', "import { x } from '../views/index.js';")).toEqual([
      'main/backup/ (rank 2) may not import main/views/ (rank 2): rooms import only lower rooms',
    ]);
  });

  it('asks for a rank for a room it does not know', () => {
    expect(lint('main/gadgets/thing.ts', "import { x } from '../store/index.js';")).toEqual(['main/gadgets/ has no rank: add it to ROOM_RANKS in .eslint/layering.js']);
  });
});
