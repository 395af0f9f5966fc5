import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Service {
  name: string;
  child: ChildProcess;
  /** Resolves with the ready line once the service prints one starting with `${name} ready `. */
  ready: Promise<string>;
}

const colours = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m'];
let nextColour = 0;

/**
 * Starts a TypeScript entry point as a child process (through tsx), prefixing
 * its output with its name, and watches for its ready line.
 */
export function startService(
  name: string,
  entry: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; readyTimeoutMs?: number; quiet?: boolean },
): Service {
  // A built bundle runs as it is; TypeScript sources through the tsx loader.
  const args = entry.endsWith('.js') ? ['--enable-source-maps', entry] : ['--import', 'tsx', entry];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const colour = colours[nextColour++ % colours.length];
  const prefix = `${colour}${name.padEnd(10)}\x1b[0m|`;
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not become ready within ${options.readyTimeoutMs ?? 60_000} ms`)),
      options.readyTimeoutMs ?? 60_000,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`${name} exited before it was ready (code ${code ?? 'none'}, signal ${signal ?? 'none'})`),
      );
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => {
        if (!options.quiet) process.stdout.write(`${prefix} ${line}\n`);
        if (line.startsWith(`${name} ready `)) {
          clearTimeout(timer);
          resolve(line);
        }
      });
    }
  });
  return { name, child, ready };
}

/** `key=value` pairs of a ready line. */
export function readyFields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)=(\S+)/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Sends SIGTERM to every service, then SIGKILL to those still running after `graceMs`. */
export async function stopAll(services: Service[], graceMs = 10_000): Promise<void> {
  const running = services.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
  await Promise.all(
    running.map(
      (s) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            s.child.kill('SIGKILL');
          }, graceMs);
          s.child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          s.child.kill('SIGTERM');
        }),
    ),
  );
}
