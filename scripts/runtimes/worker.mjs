// The Worker of the workerd run (scripts/test-runtimes.mjs), bundled from the scratch consumer
// as a Worker would be deployed: the main and CSV entries through the package's exports map.
// The uploaded CSV is read straight from the request's body stream, as a Worker receives an
// upload; the other files from Blob streams.
import * as main from 'learner-status';
import * as csv from 'learner-status/csv';
import { verdict } from './smoke.mjs';

export default {
  async fetch(request) {
    try {
      const body = request.body;
      const result = await verdict(
        { main, csv },
        { source: (name, chunks) => (name === 'comma' ? body : new Blob(chunks).stream()) },
      );
      return Response.json(result);
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
