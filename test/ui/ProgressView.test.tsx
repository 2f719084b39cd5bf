import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {ProgressView} from '../../source/ui/ProgressView.js';

describe('ProgressView', () => {
	it('fills the bar by the bytes copied, capped at the image size', () => {
		const half = render(<ProgressView title="copy" bytes={50 * 1024 * 1024} total={100 * 1024 * 1024} width={60} height={8} ascii />).lastFrame() ?? '';
		expect(half).toContain('50%');
		expect(half).toContain('50 MiB of ~100 MiB');
		const over = render(<ProgressView title="copy" bytes={120} total={100} width={60} height={8} ascii />).lastFrame() ?? '';
		expect(over).toContain('100%');
		expect(over).not.toContain('-');
	});

	it('shows bytes alone when the size is not known', () => {
		const frame = render(<ProgressView title="copy" bytes={2048} total={undefined} width={60} height={8} ascii={false} />).lastFrame() ?? '';
		expect(frame).toContain('2.0 KiB');
		expect(frame).not.toMatch(/%|of ~/);
	});
});
