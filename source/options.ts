import {detachBytes} from './daemon/detach-keys.js';
import {UsageError} from './errors.js';

/** Flag values checked once, with messages that say what is accepted. */

export function parseDepth(value: string | undefined, fallback = 4): number {
	if (value === undefined) return fallback;
	if (!/^\d+$/.test(value.trim())) throw new UsageError(`--depth "${value}": expected a whole number from 0 (host only) upward`);
	const depth = Number(value);
	if (depth > 32) throw new UsageError(`--depth ${value}: at most 32`);
	return depth;
}

/** "5", "5s", "1.5s", "500ms" -> milliseconds; plain numbers are seconds, like Docker's --timeout. */
export function parseTimeout(value: string | undefined, fallbackMs = 5000): number {
	if (value === undefined) return fallbackMs;
	const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
	if (!match) throw new UsageError(`--timeout "${value}": expected seconds (5, 1.5s) or milliseconds (500ms)`);
	const ms = match[2] === 'ms' ? Number(match[1]) : Number(match[1]) * 1000;
	if (ms <= 0) throw new UsageError(`--timeout ${value}: must be more than 0`);
	if (ms > 600_000) throw new UsageError(`--timeout ${value}: at most 10 minutes`);
	return Math.round(ms);
}

/** --detach-keys in Docker's notation, checked before any session needs it. */
export function parseDetachKeys(value: string | undefined, fallback = 'ctrl-p,ctrl-q'): string {
	if (value === undefined) return fallback;
	detachBytes(value);
	return value;
}
