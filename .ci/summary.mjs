// Prints the closing line of a CI run from vitest's JSON report: "N passed, N failed, N skipped".
// A second argument adds failures found outside vitest (the neighbour check of .ci/run).
import {existsSync, readFileSync} from 'node:fs';

const file = process.argv[2];
const extraFailures = Number(process.argv[3] ?? 0) || 0;
if (!file || !existsSync(file)) {
	console.log(`0 passed, ${1 + extraFailures} failed (no test report: the test command did not run)`);
	process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
let failed = report.numFailedTests + extraFailures;
// A suite that failed before its tests ran (setup error) counts as one failure.
failed += report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.every((a) => a.status !== 'failed')).length;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
