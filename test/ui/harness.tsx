import {render} from 'ink-testing-library';
import type {ReactElement, ReactNode} from 'react';
import {useKeyRouter} from '../../source/ui/key-router.js';

/** Keys as a terminal sends them. */
export const keys = {up: '\u001B[A', down: '\u001B[B', left: '\u001B[D', right: '\u001B[C', enter: '\r', esc: '\u001B', tab: '\t', backspace: '\u007F'};

function WithKeys({children}: {children: ReactNode}) {
	const {KeysProvider} = useKeyRouter(true);
	return <KeysProvider>{children}</KeysProvider>;
}

/** Wait until `check` holds on the frame (Ink draws a tick later); fails with the frame after 2 s. */
export async function frameShows(frame: () => string, check: (frame: string) => boolean, what: string): Promise<void> {
	const deadline = Date.now() + 2000;
	while (!check(frame())) {
		if (Date.now() > deadline) throw new Error(`the frame did not show ${what}:\n${frame()}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** One component in a key router, as the app gives it: keys go to it, frames come back. */
export function mountWithKeys(element: ReactElement) {
	const instance = render(<WithKeys>{element}</WithKeys>);
	return {
		frame: () => instance.lastFrame() ?? '',
		/** Send a key once the component is listening (the router registers in a layout effect). */
		async press(...inputs: string[]) {
			for (const input of inputs) {
				await new Promise((resolve) => setTimeout(resolve, 20));
				instance.stdin.write(input);
			}
			await new Promise((resolve) => setTimeout(resolve, 20));
		},
		rerender: (next: ReactElement) => instance.rerender(<WithKeys>{next}</WithKeys>),
		unmount: () => instance.unmount(),
	};
}
