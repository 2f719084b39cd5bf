import {StringDecoder} from 'node:string_decoder';

/**
 * Docker's events stream is newline-delimited JSON, but a chunk can hold several events or
 * end in the middle of one: split on newlines and keep the partial tail. The tail is kept in
 * pieces and joined once its line ends, so many small chunks cost linear time; bytes are
 * decoded by a decoder that keeps a UTF-8 character cut between chunks for the next one.
 */
export class JsonLineParser<T> {
	private readonly decoder = new StringDecoder('utf8');
	private tail: string[] = [];
	private tailChars = 0;
	/** The current line grew past maxLineChars: skip it up to its newline. */
	private skipping = false;

	constructor(
		private readonly onValue: (value: T) => void,
		/** A real event is well under 4 KiB; a daemon sending a line without end must not fill memory. */
		private readonly maxLineChars = 1024 * 1024,
	) {}

	push(chunk: Buffer | string): void {
		const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
		let start = 0;
		for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
			if (this.skipping) this.skipping = false;
			else this.emit(this.takeTail(text.slice(start, end)));
			this.tail = [];
			this.tailChars = 0;
			start = end + 1;
		}
		if (start === text.length || this.skipping) return;
		this.tail.push(text.slice(start));
		this.tailChars += text.length - start;
		if (this.tailChars > this.maxLineChars) {
			this.tail = [];
			this.tailChars = 0;
			this.skipping = true;
		}
	}

	/** Flush a final line that had no newline. */
	end(): void {
		const rest = this.decoder.end();
		if (!this.skipping) this.emit(this.takeTail(rest));
		this.tail = [];
		this.tailChars = 0;
		this.skipping = false;
	}

	private takeTail(last: string): string {
		if (this.tail.length === 0) return last;
		this.tail.push(last);
		return this.tail.join('');
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
