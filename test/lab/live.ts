import type {TreeState} from '../../source/store/model.js';
import type {TreeStore} from '../../source/store/store.js';

/** Poll the live model until `check` holds; returns how long it took. */
export async function until(store: TreeStore, check: (tree: TreeState) => boolean, timeoutMs: number, what: string): Promise<number> {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (check(store.getState())) return Date.now() - started;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error(`not within ${timeoutMs} ms: ${what}`);
}

/** A container of a daemon in the model, by name. */
export const named = (tree: TreeState, daemonPath: string, name: string) =>
	tree.daemons[daemonPath]?.containers.map((key) => tree.containers[key]).find((container) => container?.name === name);

/** Poll any state (an API answer, a count) until `check` holds; returns how long it took. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (await check()) return Date.now() - started;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`not within ${timeoutMs} ms: ${what}`);
}
