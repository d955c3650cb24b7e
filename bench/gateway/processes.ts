import path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';

const ROOT = path.resolve(__dirname, '../..');

/** A process of the scenario: `node --import tsx <script>` in a process group of its own. */
export interface BenchProcess { name: string; child: ChildProcess; output: string[]; stop(): Promise<void> }

export function launch(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, nodeFlags: string[] = []): BenchProcess {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(__dirname, script), ...args], {
    cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => { output.push(chunk.toString('utf8')); if (output.length > 200) output.shift(); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name, child, output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until a process prints `marker`; fails when it exits first. */
export function waitFor(proc: BenchProcess, marker: string, ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${proc.name} not ready after ${ms} ms:\n${proc.output.join('').slice(-2000)}`)), ms);
    const check = () => {
      if (proc.output.join('').includes(marker)) { clearTimeout(timer); proc.child.stdout!.off('data', check); resolve(); }
    };
    proc.child.stdout!.on('data', check);
    proc.child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${proc.name} exited (${code}):\n${proc.output.join('').slice(-2000)}`)); });
    check();
  });
}

/** Runs a process to its end and returns what it printed on stdout (also shown to `onOutput` as it comes). */
export function runToEnd(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, onOutput?: (text: string) => void): Promise<string> {
  const proc = launch(name, script, args, env);
  const out: Buffer[] = [];
  proc.child.stdout!.on('data', (c: Buffer) => { out.push(c); onOutput?.(c.toString('utf8')); });
  return new Promise((resolve, reject) => {
    proc.child.once('exit', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${name} exited (${code}):\n${proc.output.join('').slice(-2000)}`));
    });
  });
}
