/** The factory's web dashboard: server-rendered pages over a FactoryService (docs/factory.md "Dashboard"). */
export { type DashboardOptions, dashboardRoutes } from './routes.js';
export { ADVISORY_WRITE_SCOPES, TOKEN_COOKIE } from './session.js';
