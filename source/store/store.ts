import {emptyTree, type TreeState} from './model.js';
import {treeReducer, type TreeAction} from './tree-reducer.js';

export interface TreeStore {
	getState(): TreeState;
	dispatch(action: TreeAction): void;
	/** Listeners run once per burst of actions (coalesced to the next macrotask), not per action. */
	subscribe(listener: () => void): () => void;
}

export function createTreeStore(initial: TreeState = emptyTree): TreeStore {
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
				setImmediate(notify);
			}
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
}
