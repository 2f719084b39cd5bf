import {useSyncExternalStore} from 'react';
import type {TreeState} from '../store/model.js';
import type {TreeStore} from '../store/store.js';

/** The current tree; re-renders once per burst of model changes. */
export function useTreeState(store: TreeStore): TreeState {
	return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
