// Run standalone: npx tsx examples/hono/server.ts, then
//   curl -i -X POST localhost:3000/login -H 'content-type: application/json' \
//     -d '{"id":"ada","password":"correct horse"}'
import { serve } from '@hono/node-server';
import { createMemoryStore, type User } from '../../src/index.js';
import { passwordCheck } from '../shared/auth.js';
import { createApp } from './app.js';

const store = createMemoryStore<User>([
  { id: 'ada', status: 'active', expiresAt: new Date('2030-01-01T00:00:00Z') },
  { id: 'bob', status: 'deactivated', expiresAt: null },
]);
const app = createApp({
  loadUser: async (id) => (await store.readUsers([id]))[0]?.user,
  checkPassword: passwordCheck(
    new Map([
      ['ada', 'correct horse'],
      ['bob', 'battery staple'],
    ]),
  ),
  now: () => new Date(),
  log: (entry) => console.log(JSON.stringify(entry)),
});
serve({ fetch: app.fetch, port: 3000, hostname: '127.0.0.1' }, (info) =>
  console.log(`http://127.0.0.1:${info.port}`),
);
