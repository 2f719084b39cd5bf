import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';

/** The closing line of .ci/run, from a vitest JSON report written here. */

const script = fileURLToPath(new URL('../../.ci/summary.mjs', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'ci-summary-'));
afterAll(() => rmSync(directory, {recursive: true, force: true}));

type Status = 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
interface Test {
	name: string;
	status: Status;
	meta?: Record<string, unknown>;
}

/** A report shaped as vitest's json reporter writes it: one entry per file, one per test. */
function report(files: Record<string, Test[]>, fileStatus: Record<string, 'passed' | 'failed'> = {}): string {
	const tests = Object.values(files).flat();
	const count = (status: Status) => tests.filter((test) => test.status === status).length;
	const body = {
		numTotalTests: tests.length,
		numPassedTests: count('passed'),
		numFailedTests: count('failed'),
		numPendingTests: count('skipped') + count('pending'),
		numTodoTests: count('todo'),
		success: count('failed') === 0,
		testResults: Object.entries(files).map(([name, entries]) => ({
			name,
			status: fileStatus[name] ?? (entries.some((test) => test.status === 'failed') ? 'failed' : 'passed'),
			message: '',
			assertionResults: entries.map((test) => ({
				ancestorTitles: [name],
				fullName: `${name} ${test.name}`,
				title: test.name,
				status: test.status,
				failureMessages: [],
				meta: test.meta ?? {},
			})),
		})),
	};
	const path = join(directory, `report-${Math.random().toString(36).slice(2)}.json`);
	writeFileSync(path, JSON.stringify(body));
	return path;
}

function summary(file: string, env: Record<string, string | undefined>, extraFailures?: number) {
	const environment: NodeJS.ProcessEnv = {...process.env, ...env};
	for (const [name, value] of Object.entries(env)) if (value === undefined) delete environment[name];
	const result = spawnSync('node', [script, file, ...(extraFailures === undefined ? [] : [String(extraFailures)])], {
		encoding: 'utf8',
		env: environment,
	});
	const lines = result.stdout.trimEnd().split('\n');
	return {code: result.status, lines, last: lines.at(-1)};
}

// DOCKERCEPTION_E2E=0: the unit tests pass, every end-to-end test is skipped.
const e2eSkipped = {
	'test/unit/a.test.ts': [
		{name: 'parses', status: 'passed' as const},
		{name: 'classifies', status: 'passed' as const},
	],
	'test/e2e/lab.test.ts': [
		{name: 'is a private daemon', status: 'skipped' as const},
		{name: 'runs a busybox', status: 'skipped' as const},
	],
	'test/e2e/sysbox.test.ts': [{name: 'spawns without --privileged', status: 'skipped' as const}],
};

describe('the CI summary', () => {
	it('under CI=1 a skipped test is a failure: exit 1, and the closing line counts it and names it', () => {
		const result = summary(report(e2eSkipped), {CI: '1'});
		expect(result.code).toBe(1);
		expect(result.last).toBe('2 passed, 3 failed, 3 not run, counted as failed in CI');
		expect(result.lines).toContain('not run: test/e2e/sysbox.test.ts spawns without --privileged');
	});

	it('CI=true counts the same; todo and pending tests did not run either', () => {
		const file = report({
			'test/unit/a.test.ts': [
				{name: 'one', status: 'passed'},
				{name: 'later', status: 'todo'},
				{name: 'queued', status: 'pending'},
			],
		});
		const result = summary(file, {CI: 'true'});
		expect(result.code).toBe(1);
		expect(result.last).toBe('1 passed, 2 failed, 2 not run, counted as failed in CI');
	});

	it('outside CI skips are reported as skipped and do not fail the run', () => {
		for (const CI of [undefined, '0', 'false']) {
			const result = summary(report(e2eSkipped), {CI});
			expect(result.code, `CI=${CI}`).toBe(0);
			expect(result.last, `CI=${CI}`).toBe('2 passed, 0 failed, 3 skipped');
		}
	});

	it('a skip the test allows, with its reason, is listed and not counted as failed', () => {
		const file = report({
			'test/e2e/x.test.ts': [
				{name: 'runs', status: 'passed'},
				{name: 'needs a GPU', status: 'skipped', meta: {allowSkip: 'no GPU on CI machines'}},
				{name: 'blank reason', status: 'skipped', meta: {allowSkip: ' '}},
			],
		});
		const result = summary(file, {CI: '1'});
		expect(result.lines).toContain('not run (allowed: no GPU on CI machines): test/e2e/x.test.ts needs a GPU');
		expect(result.lines).toContain('not run: test/e2e/x.test.ts blank reason');
		expect(result.last).toBe('1 passed, 1 failed, 1 not run, counted as failed in CI, 1 skipped as allowed');
		expect(result.code).toBe(1);
	});

	it('every test run and passed: exit 0, whatever CI says', () => {
		const file = report({'test/unit/a.test.ts': [{name: 'one', status: 'passed'}]});
		for (const CI of ['1', undefined]) {
			const result = summary(file, {CI});
			expect(result.code).toBe(0);
			expect(result.last).toBe('1 passed, 0 failed');
		}
	});

	it('failures outside vitest and a file that failed before its tests count', () => {
		const file = report({'test/e2e/a.test.ts': [{name: 'one', status: 'passed'}], 'test/e2e/b.test.ts': []}, {'test/e2e/b.test.ts': 'failed'});
		const result = summary(file, {CI: '1'}, 2);
		expect(result.code).toBe(1);
		expect(result.last).toBe('1 passed, 3 failed');
	});

	it('under CI a report in which no test ran fails', () => {
		const result = summary(report({}), {CI: '1'});
		expect(result.code).toBe(1);
		expect(result.last).toBe('0 passed, 1 failed, no test ran');
	});

	it('no report: the test command did not run', () => {
		const result = summary(join(directory, 'missing.json'), {CI: '1'}, 1);
		expect(result.code).toBe(1);
		expect(result.last).toBe('0 passed, 2 failed (no test report: the test command did not run)');
	});
});
