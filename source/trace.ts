import {appendFileSync} from 'node:fs';

/**
 * DOCKERCEPTION_TRACE=FILE appends "label ms-since-process-start" lines: the start-up
 * benchmark reads them to split start-up into loading, discovery and the first frame.
 */
const file = process.env.DOCKERCEPTION_TRACE;

export function mark(label: string, detail = ''): void {
	if (file) appendFileSync(file, `${label} ${Math.round(performance.now())}${detail ? ` ${detail}` : ''}\n`);
}
