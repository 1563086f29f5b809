import { buildApp } from '../../examples/fastify/app.js';
import { passwordCheck } from '../../examples/shared/auth.js';
import { loginScenarios } from './scenarios.js';

loginScenarios('Fastify', async ({ passwords, ...options }) => {
  const app = buildApp({ ...options, checkPassword: passwordCheck(passwords) });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
});
