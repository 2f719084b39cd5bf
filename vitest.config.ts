import {defineConfig} from 'vitest/config';

// unit and ui tests run in parallel (a limit of 30 s each: some start a process, and a loaded
// 2-core machine makes that slow); end-to-end tests share one private dockerd and its
// nested daemons, so they run one file at a time.
export default defineConfig({
	test: {
		reporters: ['default', ['json', {outputFile: 'test-results/results.json'}]],
		projects: [
			{extends: true, test: {name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000}},
			{extends: true, test: {name: 'ui', include: ['test/ui/**/*.test.tsx'], testTimeout: 30_000}},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['test/e2e/**/*.test.ts'],
					globalSetup: ['test/lab/global-setup.ts'],
					fileParallelism: false,
					testTimeout: 120_000,
					hookTimeout: 600_000,
				},
			},
		],
	},
});
