import {defineConfig} from 'vitest/config';

// The end-to-end files that run a second time as a non-root user of the group that owns the lab
// daemon's socket (test/lab/seat.ts): the seat most users have, with no /proc route to nested
// daemons. What only root can do (the faults suite, the /proc route's own tests, --sandbox) runs
// once, as root; seat.test.ts checks the seat itself and what it is refused.
const groupSeatFiles = [
	'test/e2e/seat.test.ts',
	'test/e2e/discovery.test.ts',
	'test/e2e/tui.test.ts',
	'test/e2e/commands.test.ts',
	'test/e2e/actions.test.ts',
	'test/e2e/forward.test.ts',
	'test/e2e/clients.test.ts',
	'test/e2e/swarm.test.ts',
];

// unit and ui tests run in parallel (a limit of 30 s each: some start a process, and a loaded
// 2-core machine makes that slow); end-to-end tests share one private dockerd and its nested
// daemons, so they run one file at a time (the two e2e projects too: one sequence).
const e2e = {
	globalSetup: ['test/lab/global-setup.ts'],
	fileParallelism: false,
	testTimeout: 120_000,
	hookTimeout: 600_000,
};

export default defineConfig({
	test: {
		reporters: ['default', ['json', {outputFile: 'test-results/results.json'}]],
		projects: [
			{extends: true, test: {name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000}},
			{extends: true, test: {name: 'ui', include: ['test/ui/**/*.test.tsx'], testTimeout: 30_000}},
			{extends: true, test: {name: 'e2e', include: ['test/e2e/**/*.test.ts'], exclude: ['test/e2e/seat.test.ts'], ...e2e}},
			{extends: true, test: {name: 'e2e-group', include: groupSeatFiles, provide: {seat: 'group'}, ...e2e}},
		],
	},
});
