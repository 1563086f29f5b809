import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from '../../examples/hono/app.js';
import { passwordCheck } from '../../examples/shared/auth.js';
import { loginScenarios } from './scenarios.js';

loginScenarios('Hono', async ({ passwords, ...options }) => {
  const app = createApp({ ...options, checkPassword: passwordCheck(passwords) });
  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ server: started as Server, port: info.port }),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
});
