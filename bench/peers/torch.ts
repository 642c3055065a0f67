/**
 * PyTorch peer: bench/peers/torch_bench.py in `serve` mode, one long-lived Python process that
 * run.ts drives line by line (setup, then timed runs interleaved with the other
 * implementations). Python times its own repetitions, so the pipe is not in the figures, and it
 * sits idle (blocked on stdin) while the other implementations run.
 *
 * Interpreter: $DESCENT_PYTHON, else /usr/bin/python3 (Debian's python3-torch), else python3.
 * LD_LIBRARY_PATH gets /usr/lib/x86_64-linux-gnu/openblas-openmp first when that directory
 * exists: Debian's default BLAS is the reference one (about 6 GFLOP/s), and the pthread
 * OpenBLAS fights torch's OpenMP threads (2 threads slower than 1).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Skip, type Runner } from '../lib/harness.js';

export const TORCH_SCRIPT = fileURLToPath(new URL('./torch_bench.py', import.meta.url));
const OPENBLAS_OPENMP = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
const START_TIMEOUT_MS = 60_000;

export function pythonCommand(): string {
  const env = process.env['DESCENT_PYTHON'];
  if (env) return env;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** The environment for the Python peer: OpenMP OpenBLAS first on the library path. */
export function torchEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (existsSync(OPENBLAS_OPENMP)) {
    const current = env['LD_LIBRARY_PATH'];
    if (!current?.split(':').includes(OPENBLAS_OPENMP)) env['LD_LIBRARY_PATH'] = current ? `${OPENBLAS_OPENMP}:${current}` : OPENBLAS_OPENMP;
  }
  // glibc's malloc state decides PyTorch's speed here by 2x either way: blocks above its dynamic
  // mmap threshold get fresh pages (page faults are very expensive in this VM), and which blocks
  // those are depends on what the process freed before (the MLP step measured 12 ms after freeing
  // a 16 MB block, 28 ms after a 64 MB one; the CNN 224 / 172 ms). A fixed threshold of 256 MB and
  // no trimming give PyTorch its best, stable case: MLP 12.5 ms, CNN 103 ms on one thread.
  env['MALLOC_MMAP_THRESHOLD_'] ??= String(256 * 2 ** 20);
  env['MALLOC_TRIM_THRESHOLD_'] ??= String(2 ** 30);
  return env;
}

type Reply = { ok: boolean; error?: string; [key: string]: unknown };

export class TorchPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private readonly waiting: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  private dead: string | null = null;
  private stderr = '';
  private nextId = 0;
  info: Record<string, unknown> = {};

  private constructor() {
    this.child = spawn(pythonCommand(), [TORCH_SCRIPT, 'serve'], { env: torchEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const w = this.waiting.shift();
        if (!w) continue;
        try {
          w.resolve(JSON.parse(line) as Reply);
        } catch {
          w.reject(new Error(`torch peer: unreadable reply ${JSON.stringify(line.slice(0, 200))}`));
        }
      }
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-2000);
    });
    const die = (why: string): void => {
      if (this.dead !== null) return;
      this.dead = why;
      for (const w of this.waiting.splice(0)) w.reject(new Skip(why));
    };
    this.child.on('error', (e) => die(`cannot start ${pythonCommand()}: ${e.message}`));
    this.child.on('exit', (code) => {
      const last = this.stderr.trim().split('\n').pop() ?? '';
      die(`torch peer exited (code ${code})${last ? `: ${last}` : ''}`);
    });
    this.child.stdin.on('error', () => {});
  }

  /** Starts the peer and checks that torch imports; a string says why it cannot. */
  static async start(): Promise<TorchPeer | string> {
    const peer = new TorchPeer();
    try {
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 60 s')), START_TIMEOUT_MS).unref());
      const info = await Promise.race([peer.request({ op: 'info' }), timeout]);
      const { ok: _ok, ...rest } = info;
      peer.info = rest;
      return peer;
    } catch (error) {
      peer.close();
      const message = (error as Error).message;
      return /No module named 'torch'|No module named 'numpy'/.test(message + peer.stderr)
        ? 'PyTorch is not installed (apt-get install python3-torch python3-numpy libopenblas0-openmp)'
        : `torch peer unavailable: ${message}`;
    }
  }

  request(command: Record<string, unknown>): Promise<Reply> {
    if (this.dead !== null) return Promise.reject(new Skip(this.dead));
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(JSON.stringify(command) + '\n');
    });
  }

  private async ask(command: Record<string, unknown>): Promise<Reply> {
    const reply = await this.request(command);
    if (!reply.ok) throw new Skip(`torch: ${reply.error ?? 'failed'}`);
    return reply;
  }

  /** A runner for one bench on `threads` torch threads (torch.set_num_threads before each run). */
  async runner(bench: string, threads: number, n?: number): Promise<Runner> {
    const id = `r${this.nextId++}`;
    await this.ask({ op: 'setup', id, bench, ...(n !== undefined ? { n } : {}) });
    return {
      run: async (reps) => {
        const reply = await this.ask({ op: 'run', id, threads, reps });
        if (reply['threads'] !== threads) throw new Skip(`torch ran on ${String(reply['threads'])} threads, not ${threads}`);
        return { ms: reply['ms'] as number };
      },
      dispose: async () => {
        await this.ask({ op: 'dispose', id });
      },
    };
  }

  close(): void {
    if (this.dead === null) this.child.stdin.end();
    this.dead ??= 'closed';
  }
}
