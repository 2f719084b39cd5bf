/**
 * Push `count` chunks through `step`, stopping early once `budgetMs` is spent, so a quadratic
 * implementation fails quickly instead of running for minutes. Returns the time taken, or
 * Infinity when the budget ran out.
 */
export function timed(count: number, budgetMs: number, step: (index: number) => void): number {
	const started = performance.now();
	for (let index = 0; index < count; index++) {
		step(index);
		if ((index & 4095) === 0 && performance.now() - started > budgetMs) return Infinity;
	}
	return performance.now() - started;
}
