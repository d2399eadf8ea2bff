// Declares `mlship serve`; the handler (serve.ts, with the HTTP server) loads only when it runs.
import { defineCommand } from "../define.js";
import { storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "serve",
  description: "serve models over HTTP (Open Inference Protocol v2 and JSON), hot-swapping when an alias moves",
  options: [
    storeOption,
    { flags: "-m, --model <ref>", description: "NAME@ALIAS (follows the alias) or NAME@VERSION (pinned); repeatable", repeatable: true },
    { flags: "--port <port>", description: "port to listen on (0: any free port)", default: "8080" },
    { flags: "--host <address>", description: "address to listen on", default: "127.0.0.1" },
    { flags: "--token-file <file>", description: "require Authorization: Bearer <the token in FILE> (health routes stay open)" },
    { flags: "--poll-interval <seconds>", description: "how often to check the aliases for a new version", default: "5" },
    { flags: "--request-timeout <duration>", description: "the whole request (headers and body) must arrive within this, else 408", default: "30s" },
    { flags: "--headers-timeout <duration>", description: "the request line and headers must arrive within this, else 408 (default: 10s, at most --request-timeout)" },
    { flags: "--idle-timeout <duration>", description: "a request that stalls this long before it is complete gets 408", default: "10s" },
    { flags: "--keep-alive-timeout <duration>", description: "an idle keep-alive connection is closed after this", default: "72s" },
    { flags: "--body-limit <size>", description: "largest request body accepted, e.g. 8mb", default: "8mb" },
    { flags: "--workers <n>", description: 'worker processes sharing the port (node:cluster); "auto": one per CPU', default: "1" },
    { flags: "--max-rows <n>", description: "most rows one Arrow request may hold", default: "1000000" },
    { flags: "--max-columns <n>", description: "most Arrow columns (nested fields included) one request may hold", default: "1000" },
    { flags: "--max-output <size>", description: "largest answer one request may produce, e.g. 256mb", default: "256mb" },
    { flags: "--json-logs", description: "one JSON object per log line on stderr (the default when not on a terminal)" },
    { flags: "--access-log", description: "log one line per answered request (id, route, model, version, status, latency, bytes); also MLSHIP_ACCESS_LOG=1" },
    { flags: "--strict-inputs", description: "take only the pipeline's own types (no casts) and refuse unknown fields" },
    { flags: "--on-invalid <mode>", description: "fail (default: refuse a batch with a bad row) or skip (answer null for it and name it); ?on_invalid= per request", default: "fail" },
  ],
  examples: [
    "mlship serve --model churn@production",
    "mlship serve --model churn@production --model churn@2 --port 9000 --workers auto",
    "mlship serve --model churn@production --store s3://my-bucket/mlship --token-file token.txt",
  ],
  load: async () => (await import("./serve.js")).run,
});
