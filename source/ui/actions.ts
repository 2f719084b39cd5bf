import type {LiveSession} from '../session.js';
import type {ActionContext} from './App.js';
import type {StatusMessage} from './StatusBar.js';
import type {Intent} from './keymap.js';
import type {TerminalGuard} from './terminal.js';

export interface ActionDeps {
	session: LiveSession;
	guard: TerminalGuard;
}

/** Action keys of the TUI, run on the selected row through the daemon layer. */
export function createActions(_deps: ActionDeps) {
	const handles = new Set<Intent>();
	return {
		handles,
		modeLabel: () => 'DinD',
		async act(_intent: Intent, _context: ActionContext): Promise<StatusMessage | undefined> {
			return undefined;
		},
	};
}
