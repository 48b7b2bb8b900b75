import { join } from 'node:path';
import { ROLES, type Role } from '../../../shared/security.js';
import { booleanOption, intOption, stringOption, type Command } from '../command.js';
import { usageError } from '../output.js';

export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [<store>] [--host 127.0.0.1] [--port <n>] [--role viewer|auditor|operator|admin] [--tls-cert <f> --tls-key <f>] [--insecure-remote]',
  summary: 'serve the console to a browser (loopback, one-time sign-in link); without <store>, the default store',
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    role: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'insecure-remote': { type: 'boolean' },
  },
  positionals: { min: 0, max: 1, names: '<store>' },
  async run(args, { out }) {
    const role = stringOption(args, 'role') ?? 'admin';
    if (!(ROLES as readonly string[]).includes(role)) throw usageError(`--role must be one of ${ROLES.join(', ')}`);
    const certFile = stringOption(args, 'tls-cert');
    const keyFile = stringOption(args, 'tls-key');
    if ((certFile === undefined) !== (keyFile === undefined)) throw usageError('--tls-cert and --tls-key go together');
    // Checked before the store is opened: a bad flag costs nothing.
    const port = intOption(args, 'port', 0, 65_535);
    const bindHost = stringOption(args, 'host');
    if (bindHost !== undefined && (bindHost === '' || bindHost.length > 253 || /[\s/\\]/.test(bindHost)))
      throw usageError(`--host must be a host name or an IP address, got ${JSON.stringify(bindHost.slice(0, 100))}`);
    // The server, the API and the backup engine load only for this command, so other commands start fast.
    const [{ ConsoleHost, startedWithoutStoreLine }, { ApiPipeline, loadAllHandlers }, { startServer }, { PACKAGE_ROOT, defaultStoreDir }] = await Promise.all([
      import('../../host/index.js'),
      import('../../api/index.js'),
      import('../../server/index.js'),
      import('../../platform/index.js'),
    ]);
    const storePath = args.positionals[0] ?? defaultStoreDir();
    // A store that is there but cannot be opened still gets its console (the Recovery page restores it);
    // a path that holds no store is refused as before.
    const host = new ConsoleHost({ storePath, transport: 'serve', createIfMissing: args.positionals[0] === undefined });
    const problem = host.storeProblem;
    if (problem !== undefined) process.stderr.write(startedWithoutStoreLine(host.storePath, problem));
    for (const w of host.warnings()) process.stderr.write(`warning ${w.code}: ${w.message}\n`); // a loss not acknowledged yet
    const pipeline = new ApiPipeline(host);
    await loadAllHandlers();
    let server;
    try {
      server = await startServer({
        pipeline,
        staticDir: join(PACKAGE_ROOT, 'dist', 'renderer'),
        host: bindHost,
        port,
        role: role as Role,
        tls: certFile === undefined ? undefined : { certFile, keyFile: keyFile! },
        allowInsecureRemote: booleanOption(args, 'insecure-remote'),
        downloads: host.downloads,
      });
    } catch (error) {
      await host.close();
      throw error;
    }
    if (args.json) await out.json({ url: server.url, origin: server.origin, port: server.port, store: host.storePath, role, storeProblem: problem ?? null });
    else
      await out.write(
        `Persistence Console is serving ${host.storePath}${problem === undefined ? '' : ' (it cannot be opened: see above)'}\n\n  Open ${server.url}\n\n` +
          `The link signs in once (as ${role}) and is then spent. Ctrl-C stops the server.\n`,
      );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await host.close();
    return 0;
  },
};
