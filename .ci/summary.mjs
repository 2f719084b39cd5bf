// Prints the closing line of a run from vitest's JSON report: "N passed, N failed[, N skipped]".
// A second argument adds failures found outside vitest (the neighbour check and lint of .ci/run).
// In CI (CI set, not "0" or "false") a test that did not run is a failure: a green run means
// every test ran, end-to-end tests included. A test may allow its own skip by saying why in its
// options, `{meta: {allowSkip: 'why'}}`; such skips are listed, not counted as failures.
import {existsSync, readFileSync} from 'node:fs';

const file = process.argv[2];
const extraFailures = Number(process.argv[3] ?? 0) || 0;
const inCi = Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI.toLowerCase());

if (!file || !existsSync(file)) {
	console.log(`0 passed, ${1 + extraFailures} failed (no test report: the test command did not run)`);
	process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const tests = report.testResults.flatMap((result) => result.assertionResults);
const passed = tests.filter((test) => test.status === 'passed').length;
let failed = tests.filter((test) => test.status === 'failed').length + extraFailures;
// A suite that failed before its tests ran (setup error) counts as one failure.
failed += report.testResults.filter((result) => result.status === 'failed' && result.assertionResults.every((test) => test.status !== 'failed')).length;
// skipped, pending, todo: whatever vitest did not run.
const notRun = tests.filter((test) => test.status !== 'passed' && test.status !== 'failed');
const allowed = notRun.filter((test) => typeof test.meta?.allowSkip === 'string' && test.meta.allowSkip.trim() !== '');

const notes = [];
if (inCi) {
	const unexplained = notRun.filter((test) => !allowed.includes(test));
	for (const test of unexplained.slice(0, 20)) console.log(`not run: ${test.fullName}`);
	if (unexplained.length > 20) console.log(`not run: … and ${unexplained.length - 20} more`);
	for (const test of allowed) console.log(`not run (allowed: ${test.meta.allowSkip}): ${test.fullName}`);
	failed += unexplained.length;
	if (unexplained.length) notes.push(`${unexplained.length} not run, counted as failed in CI`);
	if (allowed.length) notes.push(`${allowed.length} skipped as allowed`);
	if (tests.length === 0) {
		failed += 1;
		notes.push('no test ran');
	}
} else if (notRun.length) {
	notes.push(`${notRun.length} skipped`);
}
console.log(`${passed} passed, ${failed} failed${notes.length ? `, ${notes.join(', ')}` : ''}`);
process.exit(failed > 0 ? 1 : 0);
