/** Roles, weakest first: each role may do everything the roles before it may (DESIGN §8). */
export const ROLES = ['viewer', 'auditor', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function roleAllows(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

/** How a call came in: the desktop app, serve mode's WebSocket, the CLI, the schedules (due runs), a test. */
export type Transport = 'electron' | 'serve' | 'cli' | 'scheduler' | 'test';

/** Who is calling, as established by the transport before any handler runs. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
  readonly transport: Transport;
}
