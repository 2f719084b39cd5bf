import {visible} from './output/visible.js';

/**
 * Errors that reach the user as one line. Anything else that escapes to the CLI is a bug,
 * but is still reported in one line (the stack only with DOCKERCEPTION_DEBUG=1).
 */
export class UserError extends Error {
	constructor(
		message: string,
		/** 1: a daemon or resource could not be reached; 2: bad usage. */
		readonly exitCode: 1 | 2 = 1,
	) {
		super(message);
		this.name = 'UserError';
	}
}

export class UsageError extends UserError {
	constructor(message: string) {
		super(message, 2);
		this.name = 'UsageError';
	}
}

/** A request that got no answer in time: the daemon is hung, not gone. */
export class TimeoutError extends Error {
	constructor(what: string, ms: number) {
		super(`${what}: no answer in ${ms} ms`);
		this.name = 'TimeoutError';
	}
}

/**
 * The one line a user sees for any error (inner daemons' messages included: made visible).
 * Whatever was thrown: a message that is no string, or a value that cannot be turned into one,
 * still gives a line, since this runs where the process reports its last error.
 */
export function oneLine(error: unknown): string {
	let text: string;
	try {
		text = String(error instanceof Error ? error.message : error);
	} catch {
		text = 'an error that cannot be shown';
	}
	return visible(text.replace(/\s+/g, ' ').trim());
}
