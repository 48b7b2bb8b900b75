import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Persistence Console';

/**
 * The user-data folder, computed the way Electron's `app.getPath('userData')` computes it, so the desktop
 * app, `npm run serve` and the CLI agree on where the default store lives without Electron loaded.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PCONSOLE_USER_DATA !== undefined && env.PCONSOLE_USER_DATA !== '') return env.PCONSOLE_USER_DATA;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config'), PRODUCT_NAME);
}

export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userDataDir(env), 'stores', 'default');
}
