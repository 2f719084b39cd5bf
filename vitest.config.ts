import {defineConfig} from 'vitest/config';

// unit and ui tests run in parallel; end-to-end tests share one private dockerd and its
// nested daemons, so they run one file at a time.
export default defineConfig({
	test: {
		reporters: ['default', ['json', {outputFile: 'test-results/results.json'}]],
		projects: [
			{extends: true, test: {name: 'unit', include: ['test/unit/**/*.test.ts']}},
			{extends: true, test: {name: 'ui', include: ['test/ui/**/*.test.tsx']}},
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
