import type {KeySpec} from '../key-spec.js';
import type {CommandContext} from './context.js';

/**
 * One record per thing the TUI does: its name (for `:` and the user's keymap), its keys, its
 * help line and group, and what it does. Help, status-bar hints, the `:` palette and key
 * dispatch are all generated from these records.
 */
export interface Command {
	/** `:name` and the keymap's key: lower case, words joined by "-". */
	name: string;
	keys: KeySpec[];
	help: string;
	group: 'Move' | 'View' | 'Act';
	/** The word after its key in the status bar's hints, for the commands that have one. */
	hint?: string;
	/** Words `:name` takes, offered as completions (`:spawn socket`). */
	args?: readonly string[];
	run(context: CommandContext, args: string[]): void | Promise<void>;
}
