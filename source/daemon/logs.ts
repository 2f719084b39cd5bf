import type {Readable} from 'node:stream';
import type {DaemonClient} from './client.js';
import {StdioDemuxer} from './stdio-demux.js';

export interface LogLine {
	stream: 'stdout' | 'stderr';
	text: string;
}

/**
 * Cuts the output of one or two streams into lines: a line may end in a later chunk than the
 * one it started in, and each stream keeps its own unfinished line. Lines are decoded whole,
 * so a UTF-8 character split between chunks stays one character.
 */
const maxLogLineBytes = 64 * 1024;

class LineSplitter {
	private readonly partial: Record<LogLine['stream'], Buffer> = {stdout: Buffer.alloc(0), stderr: Buffer.alloc(0)};

	constructor(private readonly onLines: (lines: LogLine[]) => void) {}

	take(kind: LogLine['stream'], chunk: Buffer): void {
		let rest = this.partial[kind].length > 0 ? Buffer.concat([this.partial[kind], chunk]) : chunk;
		const lines: LogLine[] = [];
		for (let end = rest.indexOf(0x0a); end >= 0; end = rest.indexOf(0x0a)) {
			lines.push({stream: kind, text: rest.subarray(0, end).toString('utf8').replace(/\r$/, '')});
			rest = rest.subarray(end + 1);
		}
		// A line without end (a hostile or broken program) is cut into pieces, not held whole.
		while (rest.length > maxLogLineBytes) {
			lines.push({stream: kind, text: rest.subarray(0, maxLogLineBytes).toString('utf8')});
			rest = rest.subarray(maxLogLineBytes);
		}
		this.partial[kind] = Buffer.from(rest);
		if (lines.length > 0) this.onLines(lines);
	}

	/** The unfinished lines, once no more output comes. */
	flush(): void {
		for (const kind of ['stdout', 'stderr'] as const) {
			if (this.partial[kind].length === 0) continue;
			const text = this.partial[kind].toString('utf8').replace(/\r$/, '');
			this.partial[kind] = Buffer.alloc(0);
			this.onLines([{stream: kind, text}]);
		}
	}
}

/**
 * The lines in a container's logs as the logs endpoint sends them: framed (8-byte headers,
 * stdout and stderr apart) unless the container has a TTY, whose output is one plain stream.
 */
export function logTextLines(raw: Buffer, tty: boolean): LogLine[] {
	const lines: LogLine[] = [];
	const splitter = new LineSplitter((more) => lines.push(...more));
	if (tty) {
		splitter.take('stdout', raw);
	} else {
		const demuxer = new StdioDemuxer(
			(chunk) => splitter.take('stdout', chunk),
			(chunk) => splitter.take('stderr', chunk),
		);
		demuxer.push(raw);
	}
	splitter.flush();
	return lines;
}

/**
 * docker-modem hands back an answer that parses as JSON parsed, whatever its content type: a
 * TTY container whose last lines are `42` or `{"a":1}` comes back as a number or an object.
 */
function answerBytes(answer: unknown): Buffer {
	if (Buffer.isBuffer(answer)) return answer;
	if (typeof answer === 'string') return Buffer.from(answer);
	return Buffer.from(`${JSON.stringify(answer)}\n`);
}

/** The last `count` non-empty lines a container printed, both streams (for a failed spawn). */
export async function lastLogLines(client: DaemonClient, containerId: string, count: number): Promise<string[]> {
	const container = client.docker.getContainer(containerId);
	const [info, raw] = await Promise.all([container.inspect(), container.logs({stdout: true, stderr: true, tail: count})]);
	return logTextLines(answerBytes(raw), info.Config.Tty)
		.map((line) => line.text.trim())
		.filter(Boolean)
		.slice(-count);
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
	const splitter = new LineSplitter(onLines);
	if (options.tty) {
		stream.on('data', (chunk: Buffer) => splitter.take('stdout', chunk));
	} else {
		const demuxer = new StdioDemuxer(
			(chunk) => splitter.take('stdout', chunk),
			(chunk) => splitter.take('stderr', chunk),
		);
		stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
	}
	stream.on('error', () => {});
	return () => stream.destroy();
}
