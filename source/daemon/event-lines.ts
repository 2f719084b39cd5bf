/**
 * Docker's events stream is newline-delimited JSON, but a chunk can hold several events or
 * end in the middle of one: split on newlines and keep the partial tail.
 */
export class JsonLineParser<T> {
	private tail = '';

	constructor(private readonly onValue: (value: T) => void) {}

	push(chunk: Buffer | string): void {
		const text = this.tail + chunk.toString();
		const lines = text.split('\n');
		this.tail = lines.pop() ?? '';
		for (const line of lines) this.emit(line);
	}

	/** Flush a final line that had no newline. */
	end(): void {
		const rest = this.tail;
		this.tail = '';
		this.emit(rest);
	}

	private emit(line: string): void {
		const trimmed = line.trim();
		if (!trimmed) return;
		try {
			this.onValue(JSON.parse(trimmed) as T);
		} catch {
			// A malformed line is dropped; the next listing corrects the model.
		}
	}
}

/** The fields of a container event that discovery uses. */
export interface ContainerEvent {
	Type?: string;
	Action?: string;
	status?: string;
	id?: string;
	Actor?: {ID?: string; Attributes?: Record<string, string>};
	time?: number;
	timeNano?: number;
}

/** Container actions that change what the tree shows; exec_* and friends do not. */
export const watchedContainerActions = [
	'create',
	'start',
	'restart',
	'die',
	'stop',
	'kill',
	'pause',
	'unpause',
	'rename',
	'destroy',
	'update',
	'oom',
];
