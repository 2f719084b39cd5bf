import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import type {TreeState} from '../../source/store/model.js';
import {NoDaemonScreen} from '../../source/ui/NoDaemonScreen.js';

const tree: TreeState = {
	roots: ['default'],
	daemons: {
		default: {
			path: 'default',
			depth: 0,
			route: 'unix socket /var/run/docker.sock',
			status: 'unreachable',
			error: 'no socket at /var/run/docker.sock (is dockerd running?)',
			containers: [],
		},
	},
	containers: {},
};

describe('NoDaemonScreen', () => {
	it('says what was tried and why it failed, and offers S only when a sandbox can run', () => {
		const offered = render(<NoDaemonScreen tree={tree} width={110} height={20} sandbox={{available: true}} />).lastFrame() ?? '';
		expect(offered).toContain('default: unix socket /var/run/docker.sock — no socket at /var/run/docker.sock (is dockerd running?)');
		expect(offered).toContain('S starts a private sandbox daemon');
		const refused = render(<NoDaemonScreen tree={tree} width={110} height={20} sandbox={{available: false, problem: 'no dockerd binary'}} />).lastFrame() ?? '';
		expect(refused).not.toContain('S starts a private sandbox daemon');
	});
});
