import {describe, expect, it} from 'vitest';
import {ConfirmDialog} from '../../source/ui/ConfirmDialog.js';
import {keys, mountWithKeys} from './harness.js';

const request = (answers: boolean[]) => ({
	title: 'Remove default/x?',
	lines: ['⚠ it is running: it will be killed'],
	action: 'remove',
	onAnswer: (yes: boolean) => answers.push(yes),
});

describe('ConfirmDialog', () => {
	it('says what it is about and what yes does; no is the default', async () => {
		const answers: boolean[] = [];
		const ui = mountWithKeys(<ConfirmDialog request={request(answers)} width={60} height={10} />);
		expect(ui.frame()).toContain('Remove default/x?');
		expect(ui.frame()).toContain('remove? [y/N]');
		await ui.press(keys.enter);
		expect(answers).toEqual([false]);
		ui.unmount();
	});

	it('answers once, however fast the keys come', async () => {
		const answers: boolean[] = [];
		const ui = mountWithKeys(<ConfirmDialog request={request(answers)} width={60} height={10} />);
		await ui.press('yyn');
		expect(answers).toEqual([true]);
		ui.unmount();
	});
});
