import {appendFileSync} from 'node:fs';

/**
 * DOCKERCEPTION_TRACE=FILE appends "label ms-since-process-start" lines: the start-up
 * benchmark reads them to split start-up into loading, discovery and the first frame.
 */
const file = process.env.DOCKERCEPTION_TRACE;

export function mark(label: string, detail = ''): void {
	if (file) appendFileSync(file, `${label} ${Math.round(performance.now())}${detail ? ` ${detail}` : ''}\n`);
}

/**
 * With tracing on: a "memory" line every intervalMs (rss, heap used, heap total, external, MB),
 * so a long run (bench/soak) can tell a growing heap from a heap V8 merely kept.
 */
export function traceMemory(intervalMs = 10_000): void {
	if (!file) return;
	const megabytes = (bytes: number) => (bytes / 1048576).toFixed(1);
	setInterval(() => {
		const usage = process.memoryUsage();
		mark('memory', [usage.rss, usage.heapUsed, usage.heapTotal, usage.external].map(megabytes).join(' '));
	}, intervalMs).unref();
}
