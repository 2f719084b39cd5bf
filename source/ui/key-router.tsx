import {useInput, useStdin, type Key} from 'ink';
import {splitChunk} from './key-spec.js';
import {createContext, useContext, useEffect, useLayoutEffect, useMemo, useRef, type ReactNode} from 'react';

/**
 * Ink's useInput subscribes in a passive effect, which React may run a moment after the frame
 * that shows the component: a key typed in between reached the view underneath (a name typed
 * into a dialog that had just opened went to the tree as key presses) or a handler from an
 * earlier render. Here one stable Ink subscription hands every key to the handlers registered
 * in layout effects, which run in the same commit that writes the frame: whatever is on
 * screen is what takes the next key.
 */
type Handler = (input: string, key: Key) => void;

class KeyRouter {
	private readonly active: Array<{current: Handler}> = [];
	/** The bytes of the key being handed out, as read (set before Ink's useInput parses them). */
	raw: string | undefined;

	add(handler: {current: Handler}): () => void {
		this.active.push(handler);
		return () => {
			const index = this.active.indexOf(handler);
			if (index >= 0) this.active.splice(index, 1);
		};
	}

	dispatch(input: string, key: Key): void {
		this.deliver(splitChunk(input, key, this.raw));
	}

	private deliver(presses: Array<{input: string; key: Key}>): void {
		// A chunk of plain keys (typed fast, pasted) is several presses, for every handler alike.
		// As Ink does: every active handler sees each, in the order they became active.
		for (const press of presses) for (const handler of [...this.active]) handler.current(press.input, press.key);
	}
}

const RouterContext = createContext<KeyRouter | undefined>(undefined);

/**
 * Make the router for an app: the one Ink subscription; wrap the app's children in the returned
 * provider. `reading` false while something else owns the terminal (Ink then leaves raw mode and stdin).
 */
export function useKeyRouter(reading: boolean, onReleased?: () => void): {KeysProvider: (props: {children: ReactNode}) => ReactNode; router: KeyRouter} {
	const router = useMemo(() => new KeyRouter(), []);
	const dispatch = useMemo(() => (input: string, key: Key) => router.dispatch(input, key), [router]);
	// Prepended, so it runs before useInput's listener whenever that one subscribes again.
	const {internal_eventEmitter: inputEvents} = useStdin();
	useLayoutEffect(() => {
		const note = (raw: string) => {
			router.raw = raw;
		};
		inputEvents.prependListener('input', note);
		return () => {
			inputEvents.off('input', note);
		};
	}, [inputEvents, router]);
	useInput(dispatch, {isActive: reading});
	// React runs every passive cleanup of a commit before its setups: by the time this runs,
	// Ink has left raw mode and stopped reading stdin, so a terminal session may take it.
	const released = useRef(onReleased);
	released.current = onReleased;
	useEffect(() => {
		if (!reading) released.current?.();
	}, [reading]);
	const KeysProvider = useMemo(
		() =>
			({children}: {children: ReactNode}) => <RouterContext.Provider value={router}>{children}</RouterContext.Provider>,
		[router],
	);
	return {KeysProvider, router};
}

/** useInput, taking keys from the frame that shows the component on. */
export function useKeys(handler: Handler, options: {isActive?: boolean; router?: KeyRouter} = {}): void {
	const context = useContext(RouterContext);
	const router = options.router ?? context;
	if (!router) throw new Error('useKeys outside a key router');
	const latest = useRef(handler);
	useLayoutEffect(() => {
		latest.current = handler;
	});
	const active = options.isActive !== false;
	useLayoutEffect(() => (active ? router.add(latest) : undefined), [router, active]);
}
