import {describe, expect, it} from 'vitest';
import {SpawnDialog, type SpawnForm} from '../../source/ui/SpawnDialog.js';
import {frameShows, keys, mountWithKeys} from './harness.js';

const initial: SpawnForm = {name: 'sbx-1', image: '', mode: 'dind'};

describe('SpawnDialog', () => {
	it('cycles the mode among those the daemon has and submits the form', async () => {
		const submitted: SpawnForm[] = [];
		const ui = mountWithKeys(
			<SpawnDialog
				daemonPath="default"
				initial={initial}
				modes={['dind', 'socket']}
				status={{phase: 'form'}}
				width={80}
				height={14}
				onSubmit={(form) => submitted.push(form)}
				onCancel={() => {}}
			/>,
		);
		await ui.press(keys.tab, keys.tab, keys.right, keys.right, keys.right, keys.enter);
		expect(submitted).toEqual([{name: 'sbx-1', image: '', mode: 'socket'}]);
		ui.unmount();
	});

	it('refuses a name Docker would refuse, and says why', async () => {
		const submitted: SpawnForm[] = [];
		const ui = mountWithKeys(
			<SpawnDialog
				daemonPath="default"
				initial={{...initial, name: 'bad name!'}}
				modes={['dind']}
				status={{phase: 'form'}}
				width={80}
				height={14}
				onSubmit={(form) => submitted.push(form)}
				onCancel={() => {}}
			/>,
		);
		await ui.press(keys.enter);
		expect(submitted).toEqual([]);
		expect(ui.frame()).toMatch(/name.*(letters|only|invalid|allowed)/i);
		ui.unmount();
	});

	it('shows the step while working (keys do nothing but esc) and the last log lines when it failed', async () => {
		const events: string[] = [];
		const props = {
			daemonPath: 'default',
			initial,
			modes: ['dind' as const],
			width: 80,
			height: 14,
			onSubmit: () => events.push('submit'),
			onCancel: () => events.push('cancel'),
		};
		const ui = mountWithKeys(<SpawnDialog {...props} status={{phase: 'working', since: Date.now(), step: 'creating DinD sandbox sbx-1'}} />);
		expect(ui.frame()).toContain('creating DinD sandbox sbx-1');
		await ui.press(keys.enter);
		expect(events).toEqual([]);
		ui.rerender(<SpawnDialog {...props} status={{phase: 'failed', message: 'sbx-1 exited', logs: ['dockerd: failed to start']}} />);
		await frameShows(ui.frame, (frame) => frame.includes('✕ sbx-1 exited') && frame.includes('dockerd: failed to start'), 'the failure and its log');
		await ui.press(keys.esc);
		expect(events).toEqual(['cancel']);
		ui.unmount();
	});
});
