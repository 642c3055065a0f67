/**
 * Progress display: a cli-progress bar with ETA and live metrics on a terminal, silent
 * otherwise (CI logs, pipes), so only the final summaries are printed there.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, metrics?: Record<string, string | number>): void;
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  label?: string;
  /** Force on/off; default: on when the stream is a TTY and CI is unset. */
  enabled?: boolean;
  /** Where the bar is drawn (default: stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? (Boolean(stream.isTTY) && !process.env.CI);
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${options.label ?? 'progress'} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} | {metrics}`,
      stream,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(options.total, 0, { metrics: '' });
  return {
    update(value, metrics) {
      const text = metrics ? Object.entries(metrics).map(([k, v]) => `${k} ${typeof v === 'number' ? formatMetric(v) : v}`).join(' | ') : '';
      bar.update(value, { metrics: text });
    },
    stop() {
      bar.stop();
    },
  };
}

export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(3);
  return v.toFixed(4);
}
