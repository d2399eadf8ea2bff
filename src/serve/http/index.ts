// HTTP layer: the server and its routes, the token check, error bodies, connection timeouts, request logs and metrics, the status page. Imports protocol/ and runtime/.
export { startServer, type RunningServer, type ServeConfig, type ServeWorld } from "./server.js";
