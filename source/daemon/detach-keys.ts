import {UsageError} from '../errors.js';

/** Docker's detach-keys notation ("ctrl-p,ctrl-q", "ctrl-@", "x") as the bytes the daemon watches for. */
export function detachBytes(keys: string): Buffer {
	const special: Record<string, number> = {'@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, _: 31};
	return Buffer.from(
		keys.split(',').map((key) => {
			const trimmed = key.trim();
			if (trimmed.length === 1) return trimmed.charCodeAt(0);
			const name = trimmed.toLowerCase();
			const ctrl = /^ctrl-(.)$/.exec(name)?.[1];
			if (ctrl && ctrl >= 'a' && ctrl <= 'z') return ctrl.charCodeAt(0) - 96;
			if (ctrl && ctrl in special) return special[ctrl]!;
			throw new UsageError(`invalid detach keys "${keys}": use a comma-separated list of ctrl-<letter> or single characters`);
		}),
	);
}
