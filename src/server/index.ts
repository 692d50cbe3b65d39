/** `larder serve`: the factory's HTTP API, repository, metrics and dashboard (docs/factory.md "Serving"). */
export { openApiDocument } from './api/openapi.js';
export { API_ROUTES, type RouteDoc } from './api/route-docs.js';
export { createServerApp, type ServerAppOptions } from './app.js';
export { presentedToken, WRITE_SCOPE } from './auth/bearer.js';
export { createRemotePublisher, type RemotePublisherOptions } from './client/remote-publisher.js';
export { parseListen, type RunningServer, startServer } from './start-server.js';
