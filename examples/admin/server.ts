// Starts the admin example: `npm run demo:admin` (after `npm install`).
//
//   PORT=3000                  the port on 127.0.0.1 (default 3000; 0 picks a free one)
//   DATABASE_URL=postgres://…  a PostgreSQL server; without it, PGlite in memory
//   PORTAL_TIME_ZONE=…         the zone dates are shown and read in (default Europe/London)
//   ADMIN_PASSWORD=…           the administrator's password (default: a random one, printed)
//   PUBLIC_URL=https://…       the address people use; https marks cookies Secure
//
// In your app, the imports are the same: the package's public entries, by name.
import { serve } from '@hono/node-server';
import { createPostgresStore } from 'learner-status/postgres';
import { createAdminApp } from './app.js';
import { openDatabase } from './database.js';
import { randomToken } from './security.js';
import { prepareDatabase } from './seed.js';

const ADMIN_NAME = 'admin';
const LEARNER_PASSWORD = 'learner';

const env = process.env;
const port = Number.parseInt(env['PORT'] ?? '3000', 10);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(
    `PORT must be a port number (0 to 65535), but it is ${JSON.stringify(env['PORT'])}.`,
  );
  process.exit(2);
}
const timeZone = env['PORTAL_TIME_ZONE'] || 'Europe/London';
const adminPassword = env['ADMIN_PASSWORD'] || randomToken().slice(0, 16);
const publicUrl = env['PUBLIC_URL'] ?? '';

const db = await openDatabase(env['DATABASE_URL']);
const store = createPostgresStore(db.client);
const { seeded } = await prepareDatabase(db, store, { now: new Date(), timeZone });
const app = createAdminApp({
  db: db.client,
  store,
  now: () => new Date(),
  timeZone,
  admin: { name: ADMIN_NAME, password: adminPassword },
  learnerPassword: LEARNER_PASSWORD,
  secureCookies: publicUrl.startsWith('https:'),
  publicOrigin: publicUrl === '' ? undefined : new URL(publicUrl).origin,
});

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  const url = `http://127.0.0.1:${info.port}`;
  console.log(`learner-status admin example: ${url}/admin (Ctrl-C stops it)
  database:       ${db.description}${seeded > 0 ? `, seeded with ${seeded} learners` : ''}
  time zone:      ${timeZone}
  administrator:  ${ADMIN_NAME} / ${adminPassword}
  learner login:  ${url}/login as any learner's email (such as ada.lovelace@example.org) / ${LEARNER_PASSWORD}`);
});

// Stops once, however many signals come (an impatient second Ctrl-C changes nothing).
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close();
  void db.close().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
