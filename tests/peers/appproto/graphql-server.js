// A GraphQL-over-WebSocket server at /graphql written for the app-protocol tests. Prints its port as the first stdout
// line. --protocol new (default): npm graphql-ws, subprotocol graphql-transport-ws; --protocol legacy: npm
// subscriptions-transport-ws, subprotocol graphql-ws. Schema: `query { hello }` answers "world";
// `subscription { countdown(from: N) }` yields N, N-1, ... 0 and completes.
'use strict';
const http = require('http');
const graphql = require('graphql');
const { WebSocketServer } = require('ws');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };

const schema = new graphql.GraphQLSchema({
  query: new graphql.GraphQLObjectType({
    name: 'Query',
    fields: { hello: { type: graphql.GraphQLString, resolve: () => 'world' } },
  }),
  subscription: new graphql.GraphQLObjectType({
    name: 'Subscription',
    fields: {
      countdown: {
        type: graphql.GraphQLInt,
        args: { from: { type: graphql.GraphQLInt } },
        subscribe: async function* (_, { from }) {
          for (let i = from ?? 3; i >= 0; i--) {
            yield { countdown: i };
            await new Promise((r) => setTimeout(r, 20));
          }
        },
      },
    },
  }),
});

const server = http.createServer((req, res) => { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('not found\n'); });
if (opt('--protocol', 'new') === 'legacy') {
  const { SubscriptionServer } = require('subscriptions-transport-ws');
  // subscriptions-transport-ws 0.11 calls execute/subscribe with one arguments object or, in older code paths,
  // positionally; graphql 16+ takes only the object.
  const adapt = (fn) => (...a) => (a.length === 1 && a[0] && a[0].schema
    ? fn(a[0])
    : fn({ schema: a[0], document: a[1], rootValue: a[2], contextValue: a[3], variableValues: a[4], operationName: a[5] }));
  const execute = adapt(graphql.execute);
  const subscribe = adapt(graphql.subscribe);
  SubscriptionServer.create({ schema, execute, subscribe }, { server, path: '/graphql' });
} else {
  const { useServer } = require('graphql-ws/use/ws');
  useServer({ schema }, new WebSocketServer({ server, path: '/graphql' }));
}
server.listen(Number(opt('--port', '0')), '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
