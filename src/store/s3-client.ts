// The S3 client. This module is the only one that imports the SDK, and s3.ts imports it dynamically on the
// store's first request, so `mlship --help` and `plan` never load it (in the CLI bundle too: esbuild turns the
// dynamic import of this module into a lazy initialiser).
import * as sdk from "@aws-sdk/client-s3";
import type { S3Settings } from "./s3-config.js";

export type S3Sdk = typeof sdk;

export interface S3Handle {
  sdk: S3Sdk;
  client: sdk.S3Client;
}

// Builds a client with the standard retry mode and a bounded connect time; `profile` names a shared-config profile
// for the SDK's chain (mlship doctor --aws-profile).
export function connectS3(settings: S3Settings, profile?: string): S3Handle {
  const client = new sdk.S3Client({
    ...(profile ? { profile } : {}),
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    retryMode: "standard",
    maxAttempts: settings.maxAttempts,
    requestHandler: { connectionTimeout: 10_000 },
  });
  return { sdk, client };
}
