import {render} from 'ink-testing-library';
import type {ReactElement, ReactNode} from 'react';
import {useKeyRouter} from '../../source/ui/key-router.js';

/** Keys as a terminal sends them. */
export const keys = {up: '\u001B[A', down: '\u001B[B', left: '\u001B[D', right: '\u001B[C', enter: '\r', esc: '\u001B', tab: '\t', backspace: '\u007F'};

type Rendered = ReturnType<typeof render>;

/** How long a wait below may take before the test fails with what it saw (a loaded machine draws a frame in up to a second). */
const deadlineMs = 5000;

/** One turn of the event loop: where Ink flushes a lone escape and React runs passive effects. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Wait until `check` holds on the frame (Ink draws a tick later); fails with the frame after the deadline. */
export async function frameShows(frame: () => string, check: (frame: string) => boolean, what: string): Promise<void> {
	const deadline = Date.now() + deadlineMs;
	while (!check(frame())) {
		if (Date.now() > deadline) throw new Error(`the frame did not show ${what}:\n${frame()}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/**
 * Wait until Ink reads stdin: its input hook subscribes in a passive effect, after the first
 * frame, and a key written before that is lost.
 */
export async function listening(instance: Rendered): Promise<void> {
	const deadline = Date.now() + deadlineMs;
	while (instance.stdin.listenerCount('readable') === 0) {
		if (Date.now() > deadline) throw new Error(`Ink never read its input; the frame:\n${instance.lastFrame() ?? ''}`);
		await turn();
	}
}

/**
 * Wait until what a key started is drawn. Ink draws a key's own effect while it reads the key
 * (debug mode writes every render at once); React's effects, answers the controller gives at
 * once, and a lone escape (Ink waits a turn for the rest of a sequence) come on later turns of
 * the event loop. Done after two turns in a row without a new frame. What a timer draws (the
 * store's frame interval, a spinner) is waited for by what it shows, with frameShows.
 */
export async function drawn(instance: Rendered): Promise<void> {
	const deadline = Date.now() + deadlineMs;
	let seen = instance.frames.length;
	for (let quiet = 0; quiet < 2;) {
		await turn();
		if (instance.frames.length === seen) quiet++;
		else [seen, quiet] = [instance.frames.length, 0];
		if (Date.now() > deadline) throw new Error(`Ink kept drawing for ${deadlineMs} ms; the frame:\n${instance.lastFrame() ?? ''}`);
	}
}

/** Type keys one by one, as a terminal sends them, each once the last one is drawn. */
export async function typeKeys(instance: Rendered, inputs: string[]): Promise<void> {
	await listening(instance);
	for (const input of inputs) {
		instance.stdin.write(input);
		await drawn(instance);
	}
}

function WithKeys({children}: {children: ReactNode}) {
	const {KeysProvider} = useKeyRouter(true);
	return <KeysProvider>{children}</KeysProvider>;
}

/** One component in a key router, as the app gives it: keys go to it, frames come back. */
export function mountWithKeys(element: ReactElement) {
	const instance = render(<WithKeys>{element}</WithKeys>);
	return {
		frame: () => instance.lastFrame() ?? '',
		press: (...inputs: string[]) => typeKeys(instance, inputs),
		rerender: (next: ReactElement) => instance.rerender(<WithKeys>{next}</WithKeys>),
		unmount: () => instance.unmount(),
	};
}
