/**
 * Docker's events stream is newline-delimited JSON, but a chunk can hold several events or
 * end in the middle of one: split on newlines and keep the partial tail.
 */
export class JsonLineParser<T> {
	private tail = '';
	/** The current line grew past maxLineChars: skip it up to its newline. */
	private skipping = false;

	constructor(
		private readonly onValue: (value: T) => void,
		/** A real event is well under 4 KiB; a daemon sending a line without end must not fill memory. */
		private readonly maxLineChars = 1024 * 1024,
	) {}

	push(chunk: Buffer | string): void {
		const text = this.tail + chunk.toString();
		const lines = text.split('\n');
		this.tail = lines.pop() ?? '';
		for (const line of lines) {
			if (this.skipping) this.skipping = false;
			else this.emit(line);
		}
		if (this.tail.length > this.maxLineChars) {
			this.tail = '';
			this.skipping = true;
		}
	}

	/** Flush a final line that had no newline. */
	end(): void {
		const rest = this.tail;
		this.tail = '';
		if (!this.skipping) this.emit(rest);
		this.skipping = false;
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

/** An event as sent, read into the fields discovery uses (anything else is left out). */
export function containerEvent(value: unknown): ContainerEvent {
	if (typeof value !== 'object' || value === null) return {};
	const raw = value as Record<string, unknown>;
	const actor = typeof raw.Actor === 'object' && raw.Actor !== null ? (raw.Actor as Record<string, unknown>) : {};
	const string = (field: unknown) => (typeof field === 'string' && field.length <= 256 ? field : undefined);
	const id = string(actor.ID) ?? string(raw.id);
	const action = string(raw.Action) ?? string(raw.status);
	return {
		...(id ? {Actor: {ID: id}} : {}),
		...(action ? {Action: action} : {}),
		...(typeof raw.time === 'number' && Number.isFinite(raw.time) ? {time: raw.time} : {}),
	};
}

/** Container actions that change what the tree shows; exec_* and friends do not. */
export const watchedContainerActions = ['create', 'start', 'restart', 'die', 'stop', 'kill', 'pause', 'unpause', 'rename', 'destroy', 'update', 'oom'];
