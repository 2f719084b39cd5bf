import {emptyTree, type TreeState} from './model.js';
import {treeReducer, type TreeAction} from './tree-reducer.js';

export interface TreeStore {
	getState(): TreeState;
	dispatch(action: TreeAction): void;
	/** Listeners run once per burst of actions (at most one call per frame interval), not per action. */
	subscribe(listener: () => void): () => void;
}

/**
 * Discovery dispatches in bursts (a listing, then one inspect per container): rendering each
 * would cost a frame apiece, so listeners hear of changes at most once per frameMs.
 */
export function createTreeStore(initial: TreeState = emptyTree, frameMs = 30): TreeStore {
	let state = initial;
	const listeners = new Set<() => void>();
	let scheduled = false;
	const notify = () => {
		scheduled = false;
		for (const listener of [...listeners]) listener();
	};
	return {
		getState: () => state,
		dispatch(action) {
			const next = treeReducer(state, action);
			if (next === state) return;
			state = next;
			if (!scheduled && listeners.size > 0) {
				scheduled = true;
				if (frameMs > 0) setTimeout(notify, frameMs);
				else setImmediate(notify);
			}
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
}
