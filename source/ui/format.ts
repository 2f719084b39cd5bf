import type {ContainerNode} from '../store/model.js';

/** Short, stable texts for narrow columns. */

export function compactDuration(ms: number): string {
	const minutes = Math.floor(ms / 60_000);
	if (minutes < 1) return '<1 min';
	if (minutes < 60) return `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return `${hours} h`;
	return `${Math.floor(hours / 24)} days`;
}

/** "Up 5 min", "Paused", "Exited (0)": current to the minute for running containers. */
export function compactStatus(container: ContainerNode, now: number): string {
	const since = container.startedAt ? Date.parse(container.startedAt) : Number.NaN;
	switch (container.state) {
		case 'running':
			return Number.isNaN(since) ? container.status.replace(/ (seconds|minutes|hours)/, (m) => m.slice(0, 4)) : `Up ${compactDuration(now - since)}`;
		case 'paused':
			return 'Paused';
		case 'exited': {
			const code = /Exited \((\d+)\)/.exec(container.status);
			return code ? `Exited (${code[1]})` : 'Exited';
		}
		default:
			return container.state[0]!.toUpperCase() + container.state.slice(1);
	}
}

export function truncate(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length <= width) return text;
	return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

/**
 * Break text into lines of at most `width`, at spaces where it can; past `maxLines` the
 * last line ends with "…".
 */
export function wrapLines(text: string, width: number, maxLines: number): string[] {
	if (width <= 0) return [''];
	const lines: string[] = [];
	let rest = text;
	while (rest.length > width && lines.length < maxLines - 1) {
		const cut = breakAt(rest, width);
		lines.push(rest.slice(0, cut).trimEnd());
		rest = rest.slice(cut).trimStart();
	}
	lines.push(truncate(rest, width));
	return lines;
}

/** Where to end a line of at most `width`: at a space, or after a / . , = or :, else mid-word. */
function breakAt(text: string, width: number): number {
	for (let index = width; index > width / 3; index--) {
		if (text[index] === ' ' || '/.,=:'.includes(text[index - 1]!)) return index;
	}
	return width;
}

export function padEnd(text: string, width: number): string {
	const cut = truncate(text, width);
	return cut + ' '.repeat(Math.max(0, width - cut.length));
}

export {formatBytes} from '../output/bytes.js';
