import {useCallback, useReducer, useRef} from 'react';
import {initialAppState, reduceApp, type AppAction, type AppEnvironment, type AppState} from './app-state.js';

/**
 * The app state with a dispatch that reduces at once: the next key in the same chunk (or the
 * next step of a flow) reads the state this one left, before React renders again.
 */
export function useAppState(environment: AppEnvironment): {state: AppState; dispatch: (action: AppAction) => void; current: () => AppState} {
	const stateRef = useRef(initialAppState);
	const environmentRef = useRef(environment);
	environmentRef.current = environment;
	const [, rendered] = useReducer((count: number) => count + 1, 0);
	const dispatch = useCallback((action: AppAction) => {
		const previous = stateRef.current;
		const next = reduceApp(previous, action, environmentRef.current);
		if (next === previous) return;
		stateRef.current = next;
		rendered();
		// A dialog replaced by another overlay before it was answered: its command stops waiting.
		// (The spawn form shown again with a new status is the same dialog.)
		const dialog = previous.overlay;
		if (dialog && next.overlay && next.overlay.type !== dialog.type && 'abandoned' in dialog) dialog.abandoned?.();
	}, []);
	const current = useCallback(() => stateRef.current, []);
	return {state: stateRef.current, dispatch, current};
}
