import type { AddressInfo } from 'node:net';
import { createApp } from '../../examples/express/app.js';
import { passwordCheck } from '../../examples/shared/auth.js';
import { loginScenarios } from './scenarios.js';

loginScenarios('Express', async ({ passwords, ...options }) => {
  const app = createApp({ ...options, checkPassword: passwordCheck(passwords) });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', (error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
});
