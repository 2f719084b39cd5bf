import type {Readable} from 'node:stream';
import type {DaemonClient} from './client.js';
import {StdioDemuxer} from './stdio-demux.js';

export interface LogLine {
	stream: 'stdout' | 'stderr';
	text: string;
}

/**
 * Follow a container's logs: the last `tail` lines, then live. Lines keep their stream so the
 * view can tell stderr apart. Returns a stop function (it closes the request, and its tunnel).
 */
export async function followLogs(
	client: DaemonClient,
	containerId: string,
	onLines: (lines: LogLine[]) => void,
	options: {tail?: number; tty?: boolean} = {},
): Promise<() => void> {
	const stream = (await client.streams.getContainer(containerId).logs({
		follow: true,
		stdout: true,
		stderr: true,
		tail: options.tail ?? 200,
	})) as unknown as Readable;
	const partial: Record<LogLine['stream'], string> = {stdout: '', stderr: ''};
	const take = (kind: LogLine['stream']) => (chunk: Buffer) => {
		const text = partial[kind] + chunk.toString('utf8');
		const parts = text.split('\n');
		partial[kind] = parts.pop() ?? '';
		if (parts.length > 0) onLines(parts.map((line) => ({stream: kind, text: line.replace(/\r$/, '')})));
	};
	if (options.tty) {
		stream.on('data', take('stdout'));
	} else {
		const demuxer = new StdioDemuxer(take('stdout'), take('stderr'));
		stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
	}
	stream.on('error', () => {});
	return () => stream.destroy();
}
