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
	/** Each stream's unfinished line, in pieces: joined once, when the line ends (linear in its length). */
	private readonly partial: Record<LogLine['stream'], {pieces: Buffer[]; bytes: number}> = {
		stdout: {pieces: [], bytes: 0},
		stderr: {pieces: [], bytes: 0},
	};

	constructor(private readonly onLines: (lines: LogLine[]) => void) {}

	take(kind: LogLine['stream'], chunk: Buffer): void {
		const partial = this.partial[kind];
		const lines: LogLine[] = [];
		let start = 0;
		for (let end = chunk.indexOf(0x0a); end >= 0; end = chunk.indexOf(0x0a, start)) {
			partial.pieces.push(chunk.subarray(start, end));
			lines.push({stream: kind, text: this.drain(kind).toString('utf8').replace(/\r$/, '')});
			start = end + 1;
		}
		if (start < chunk.length) {
			// A copy: a piece of the chunk would keep the whole chunk alive.
			partial.pieces.push(Buffer.from(chunk.subarray(start)));
			partial.bytes += chunk.length - start;
		}
		// A line without end (a hostile or broken program) is cut into pieces, not held whole.
		if (partial.bytes > maxLogLineBytes) {
			let rest = this.drain(kind);
			while (rest.length > maxLogLineBytes) {
				lines.push({stream: kind, text: rest.subarray(0, maxLogLineBytes).toString('utf8')});
				rest = rest.subarray(maxLogLineBytes);
			}
			partial.pieces.push(Buffer.from(rest));
			partial.bytes = rest.length;
		}
		if (lines.length > 0) this.onLines(lines);
	}

	/** The unfinished lines, once no more output comes. */
	flush(): void {
		for (const kind of ['stdout', 'stderr'] as const) {
			if (this.partial[kind].bytes === 0) continue;
			const text = this.drain(kind).toString('utf8').replace(/\r$/, '');
			this.onLines([{stream: kind, text}]);
		}
	}

	private drain(kind: LogLine['stream']): Buffer {
		const partial = this.partial[kind];
		const line = partial.pieces.length === 1 ? partial.pieces[0]! : Buffer.concat(partial.pieces);
		partial.pieces = [];
		partial.bytes = 0;
		return line;
	}
}

/** What the logs view shows when dockerception stops reading a log stream. */
const refusedLine = (error: Error): LogLine => ({stream: 'stderr', text: `dockerception: log stream ended: ${error.message}`});

/**
 * The lines in a container's logs as the logs endpoint sends them: framed (8-byte headers,
 * stdout and stderr apart) unless the container has a TTY, whose output is one plain stream.
 */
export function logTextLines(raw: Buffer, tty: boolean): LogLine[] {
	const lines: LogLine[] = [];
	const splitter = new LineSplitter((more) => lines.push(...more));
	let refused: Error | undefined;
	if (tty) {
		splitter.take('stdout', raw);
	} else {
		const demuxer = new StdioDemuxer(
			(chunk) => splitter.take('stdout', chunk),
			(chunk) => splitter.take('stderr', chunk),
			{onRefuse: (error) => (refused = error)},
		);
		demuxer.push(raw);
	}
	splitter.flush();
	if (refused) lines.push(refusedLine(refused));
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
		// Not a stall deadline: an idle `logs -f` waits for ever.
		const demuxer = new StdioDemuxer(
			(chunk) => splitter.take('stdout', chunk),
			(chunk) => splitter.take('stderr', chunk),
			{
				onRefuse: (error) => {
					stream.destroy();
					splitter.flush();
					onLines([refusedLine(error)]);
				},
			},
		);
		stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
		stream.once('close', () => demuxer.stop());
	}
	stream.on('error', () => {});
	return () => stream.destroy();
}
