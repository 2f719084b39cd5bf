import {describe, expect, it} from 'vitest';
import {PickDialog} from '../../source/ui/PickDialog.js';
import type {PickItem} from '../../source/ui/PickDialog.js';
import {keys, mountWithKeys} from './harness.js';

const items: PickItem[] = [
	{label: 'busybox:1', detail: '1.2 MiB'},
	{label: 'docker:dind', detail: '300 MiB'},
];

describe('PickDialog', () => {
	it('picks the item moved to, with the command typed', async () => {
		const picked: string[] = [];
		const ui = mountWithKeys(
			<PickDialog
				title="pick"
				items={items}
				withCommand
				width={60}
				height={12}
				onPick={(item, command) => picked.push(`${item.label}|${command}`)}
				onCancel={() => picked.push('cancel')}
			/>,
		);
		await ui.press(keys.down, 'echo hi', keys.enter);
		expect(picked).toEqual(['docker:dind|echo hi']);
		ui.unmount();
	});

	it('moves with j/k when there is no command to type; esc cancels', async () => {
		const picked: string[] = [];
		const ui = mountWithKeys(
			<PickDialog title="pick" items={items} width={60} height={12} onPick={(item) => picked.push(item.label)} onCancel={() => picked.push('cancel')} />,
		);
		await ui.press('j', 'k', 'j', keys.enter, keys.esc);
		expect(picked).toEqual(['docker:dind', 'cancel']);
		ui.unmount();
	});

	it('says so when there is nothing to choose', () => {
		const ui = mountWithKeys(<PickDialog title="pick" items={[]} width={60} height={12} onPick={() => {}} onCancel={() => {}} />);
		expect(ui.frame()).toContain('nothing to choose from');
		ui.unmount();
	});
});
