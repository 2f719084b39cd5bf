import {describe, expect, it} from 'vitest';
import type {LogLine} from '../../source/daemon/logs.js';
import {LogsView} from '../../source/ui/LogsView.js';
import {frameShows, keys, mountWithKeys} from './harness.js';

/** A log source the test feeds by hand. */
function source() {
	let push: (lines: LogLine[]) => void = () => {};
	let stopped = false;
	return {
		follow: async (onLines: (lines: LogLine[]) => void) => {
			push = onLines;
			return () => (stopped = true);
		},
		push: (...texts: string[]) => push(texts.map((text) => ({stream: 'stdout' as const, text}))),
		stopped: () => stopped,
	};
}

describe('LogsView', () => {
	it('follows the end, scrolls back on k, follows again on G, stops following on esc', async () => {
		const logs = source();
		const closed: string[] = [];
		const ui = mountWithKeys(<LogsView title="logs default/x" follow={logs.follow} width={60} height={8} onClose={() => closed.push('close')} />);
		await frameShows(ui.frame, (frame) => frame.includes('no output yet'), 'the empty view');
		logs.push(...Array.from({length: 10}, (_, index) => `line ${index + 1}`));
		await frameShows(ui.frame, (frame) => frame.includes('line 10') && frame.includes('following'), 'the last lines');
		await ui.press('k', 'k');
		// Four rows show lines 7-10; two up shows 5-8.
		await frameShows(ui.frame, (frame) => frame.includes('line 5/10') && frame.includes('│ line 8') && !frame.includes('│ line 10'), 'two lines up');
		logs.push('line 11');
		await ui.press('G');
		await frameShows(ui.frame, (frame) => frame.includes('line 11') && frame.includes('following'), 'following again');
		await ui.press(keys.esc);
		expect(closed).toEqual(['close']);
		ui.unmount();
		expect(logs.stopped()).toBe(true);
	});

	it('says why when the logs cannot be read', async () => {
		const ui = mountWithKeys(<LogsView title="logs" follow={() => Promise.reject(new Error('container gone'))} width={60} height={8} onClose={() => {}} />);
		await frameShows(ui.frame, (frame) => frame.includes('✕ container gone'), 'the reason');
		ui.unmount();
	});
});
