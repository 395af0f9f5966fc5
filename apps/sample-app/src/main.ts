// The process entry: configuration from the environment, listen, one ready line, graceful shutdown.
import { buildSampleApp } from './app';
import { readSampleAppConfig } from './config';

function urlHost(host: string): string {
  // A wildcard address is not something a client can connect to; loopback is.
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

async function main(): Promise<void> {
  const config = readSampleAppConfig(process.env);
  const app = buildSampleApp(config.options);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const origin = `http://${urlHost(config.host)}:${port}`;
  if (config.tokenGenerated) {
    console.log(`sample-app token (generated; set SAMPLE_APP_TOKEN to choose one): ${config.options.token}`);
  }
  console.log(`sample-app ready scimBaseUrl=${origin}/scim/v2 pageUrl=${origin}/`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`sample-app: ${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('sample-app: shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('sample-app failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
