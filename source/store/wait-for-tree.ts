import type {TreeState} from './model.js';
import type {TreeStore} from './store.js';

/** Resolves when the store satisfies `check`, rejects after timeoutMs. */
export function waitForTree<T>(store: TreeStore, check: (tree: TreeState) => T | undefined, timeoutMs: number): Promise<T> {
	return new Promise((resolve, reject) => {
		let unsubscribe = () => {};
		const test = () => {
			try {
				const value = check(store.getState());
				if (value === undefined) return false;
				clearTimeout(timer);
				unsubscribe();
				resolve(value);
			} catch (error) {
				clearTimeout(timer);
				unsubscribe();
				reject(error);
			}
			return true;
		};
		const timer = setTimeout(() => {
			unsubscribe();
			reject(new Error(`not ready after ${Math.round(timeoutMs / 1000)} s`));
		}, timeoutMs);
		if (test()) return;
		unsubscribe = store.subscribe(() => void test());
	});
}
