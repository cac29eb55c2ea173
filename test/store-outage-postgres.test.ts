// PostgreSQL stopped for a while under a running bot (fast shutdown: connections are cut), then
// started again on the same port with its data. Needs a server of its own (ownServer): the one
// TEST_POSTGRES_URL names is shared and cannot be stopped from here.
import { describeWithPostgres } from './support/postgres.ts';
import { storeOutageScenarios } from './store-outage.shared.ts';

describeWithPostgres(
  'store outage: PostgreSQL stopped',
  (pg) => {
    storeOutageScenarios(() => {
      const outage = pg().outage!;
      return {
        freshUrl: async () => (await pg().freshDatabase('outage')).url,
        begin: () => outage.stop(),
        end: () => outage.start(),
        // Refused while it is down; cut, when it went down under a query.
        failure: /ECONNREFUSED|terminat|shutting down|starting up|not queryable/i,
        readsFail: true,
      };
    });
  },
  { ownServer: true },
);
